package org.syncservice.server.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.config.RetentionConfig;
import org.syncservice.server.retention.RetentionStore.Purged;

/**
 * One pass of the metadata purge: expired tombstones, superseded versions and stored answers,
 * each in batches of {@code retention.batch-size} rows, one short transaction per batch, with
 * {@code retention.pause} after every batch so that commits keep the database. A pass ends when
 * nothing expired is left or when the pause says stop. Not thread-safe (one pass at a time per
 * instance); passes of several instances may overlap (see {@link RetentionStore}).
 */
public final class MetadataPurge {
    /** Workspaces read per listing step. */
    static final int WORKSPACES_PER_STEP = 200;

    private final RetentionStore store;
    private final RetentionConfig config;
    private final Clock clock;
    private final RetentionObserver observer;

    public MetadataPurge(RetentionStore store, RetentionConfig config, Clock clock, RetentionObserver observer) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.observer = observer;
    }

    /** What one pass purged. */
    public record Totals(long tombstones, long versions, long storedAnswers) {
        Totals plus(Totals other) {
            return new Totals(tombstones + other.tombstones, versions + other.versions,
                    storedAnswers + other.storedAnswers);
        }

        public boolean isEmpty() {
            return tombstones == 0 && versions == 0 && storedAnswers == 0;
        }
    }

    /** Runs one pass; stops early when {@code pause} answers false. */
    public Totals run(Pause pause) {
        Totals totals = new Totals(0, 0, 0);
        Optional<Instant> tombstonesBefore = config.deletedItemsBefore(clock.instant());
        if (tombstonesBefore.isPresent()) {
            Optional<Totals> purged = purgeTombstones(tombstonesBefore.get(), pause);
            if (purged.isEmpty()) {
                return totals;
            }
            totals = totals.plus(purged.get());
        }
        Optional<Instant> versionsBefore = config.oldVersionsBefore(clock.instant());
        if (versionsBefore.isPresent()) {
            Optional<Totals> purged = purgeVersions(versionsBefore.get(), pause);
            if (purged.isEmpty()) {
                return totals;
            }
            totals = totals.plus(purged.get());
        }
        Optional<Instant> answersBefore = config.storedAnswersBefore(clock.instant());
        if (answersBefore.isPresent()) {
            totals = totals.plus(purgeStoredAnswers(answersBefore.get(), pause));
        }
        return totals;
    }

    /** Empty when stopped. */
    private Optional<Totals> purgeTombstones(Instant before, Pause pause) {
        long tombstones = 0;
        long versions = 0;
        UUID after = null;
        for (List<UUID> step = store.workspacesWithExpiredTombstones(before, null, WORKSPACES_PER_STEP);
             !step.isEmpty(); step = store.workspacesWithExpiredTombstones(before, after, WORKSPACES_PER_STEP)) {
            for (UUID workspace : step) {
                Purged purged;
                do {
                    purged = store.purgeTombstones(workspace, before, config.batchSize(), clock.instant());
                    tombstones += purged.rows();
                    versions += purged.versions();
                    observer.tombstonesPurged(purged.rows(), purged.versions());
                    if (!pause.await(config.pause())) {
                        return Optional.empty();
                    }
                    // Until a batch finds nothing: each may have freed folders whose last children it took.
                } while (purged.rows() > 0);
            }
            after = step.get(step.size() - 1);
        }
        return Optional.of(new Totals(tombstones, versions, 0));
    }

    private Optional<Totals> purgeVersions(Instant before, Pause pause) {
        long versions = 0;
        UUID after = null;
        for (List<UUID> step = store.workspaces(null, WORKSPACES_PER_STEP); !step.isEmpty();
             step = store.workspaces(after, WORKSPACES_PER_STEP)) {
            for (UUID workspace : step) {
                Purged purged;
                do {
                    purged = store.purgeSupersededVersions(workspace, before, config.batchSize(), clock.instant());
                    versions += purged.versions();
                    if (purged.versions() > 0) {
                        observer.versionsPurged(purged.versions());
                    }
                    // A workspace with nothing old enough costs one index probe: no pause for it.
                    if ((purged.rows() > 0 || purged.full()) && !pause.await(config.pause())) {
                        return Optional.empty();
                    }
                } while (purged.full());
            }
            after = step.get(step.size() - 1);
        }
        return Optional.of(new Totals(0, versions, 0));
    }

    private Totals purgeStoredAnswers(Instant before, Pause pause) {
        long answers = 0;
        int purged;
        do {
            purged = store.purgeStoredAnswers(before, config.batchSize());
            answers += purged;
            observer.storedAnswersPurged(purged);
        } while (purged >= config.batchSize() && pause.await(config.pause()));
        return new Totals(0, 0, answers);
    }
}
