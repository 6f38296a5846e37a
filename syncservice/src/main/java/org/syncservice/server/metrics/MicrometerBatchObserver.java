package org.syncservice.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.syncservice.server.core.BatchObserver;

/**
 * Records batch sizes as {@code syncservice_commit_group_size_commits} and
 * {@code syncservice_outbox_pass_size_notifications} (count, sum and max): sum over count is the
 * mean size since start, and a rate of each over a window is the mean of that window; and the
 * outbox rows that failed on their own ({@code syncservice_outbox_failed_attempts_total}) and were
 * set aside ({@code syncservice_outbox_set_aside_total}). Thread-safe.
 */
final class MicrometerBatchObserver implements BatchObserver {
    private final DistributionSummary commitGroups;
    private final DistributionSummary outboxPasses;
    private final Counter outboxFailures;
    private final Counter outboxSetAside;

    MicrometerBatchObserver(MeterRegistry registry) {
        commitGroups = DistributionSummary.builder("syncservice.commit.group.size")
                .description("Commits served together in one database transaction")
                .baseUnit("commits")
                .register(registry);
        outboxPasses = DistributionSummary.builder("syncservice.outbox.pass.size")
                .description("Notifications published by one pass of the outbox publisher")
                .baseUnit("notifications")
                .register(registry);
        outboxFailures = Counter.builder("syncservice.outbox.failed.attempts")
                .description("Outbox rows that failed on their own in a pass (refused by the broker, or not"
                        + " buildable); each counts an attempt against its row")
                .register(registry);
        outboxSetAside = Counter.builder("syncservice.outbox.set.aside")
                .description("Outbox rows set aside after notifications.outbox-max-attempts failed attempts")
                .register(registry);
    }

    @Override
    public void commitGroupServed(int commits) {
        commitGroups.record(commits);
    }

    @Override
    public void outboxPassPublished(int notifications) {
        outboxPasses.record(notifications);
    }

    @Override
    public void outboxRowsFailed(int failed, int setAside) {
        outboxFailures.increment(failed);
        outboxSetAside.increment(setAside);
    }
}
