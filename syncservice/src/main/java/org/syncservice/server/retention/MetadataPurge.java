package org.syncservice.server.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

    /** Runs one pass; stops early when {@code pause} answers false, with what it purged until then. */
    public Totals run(Pause pause) {
        Tally tally = new Tally(pause);
        Instant now = clock.instant();
        config.deletedItemsBefore(now).ifPresent(before -> purgeTombstones(before, tally));
        config.oldVersionsBefore(now).ifPresent(before -> purgeVersions(before, tally));
        config.storedAnswersBefore(now).ifPresent(before -> purgeStoredAnswers(before, tally));
        return new Totals(tally.tombstones, tally.versions, tally.storedAnswers);
    }

    /** What a pass purged so far, and whether it was told to stop. */
    private final class Tally {
        final Pause pause;
        long tombstones;
        long versions;
        long storedAnswers;
        boolean stopped;

        Tally(Pause pause) {
            this.pause = pause;
        }

        /** Pauses between batches; false (and from then on) once told to stop. */
        boolean pause() {
            stopped = stopped || !pause.await(config.pause());
            return !stopped;
        }
    }

    private void purgeTombstones(Instant before, Tally tally) {
        UUID after = null;
        for (List<UUID> step = store.workspacesWithExpiredTombstones(before, null, WORKSPACES_PER_STEP);
             !step.isEmpty() && !tally.stopped;
             step = store.workspacesWithExpiredTombstones(before, after, WORKSPACES_PER_STEP)) {
            for (UUID workspace : step) {
                Purged purged;
                do {
                    purged = store.purgeTombstones(workspace, before, config.batchSize(), clock.instant());
                    tally.tombstones += purged.rows();
                    tally.versions += purged.versions();
                    observer.tombstonesPurged(purged.rows(), purged.versions());
                    if (!tally.pause()) {
                        return;
                    }
                    // Until a batch finds nothing: each may have freed folders whose last children it took.
                    // (full and empty: it gave way to a commit, and is tried again.)
                } while (purged.rows() > 0 || purged.full());
            }
            after = step.get(step.size() - 1);
        }
    }

    private void purgeVersions(Instant before, Tally tally) {
        UUID after = null;
        for (List<UUID> step = store.workspaces(null, WORKSPACES_PER_STEP); !step.isEmpty() && !tally.stopped;
             step = store.workspaces(after, WORKSPACES_PER_STEP)) {
            for (UUID workspace : step) {
                Purged purged;
                do {
                    purged = store.purgeSupersededVersions(workspace, before, config.batchSize(), clock.instant());
                    tally.versions += purged.versions();
                    if (purged.versions() > 0) {
                        observer.versionsPurged(purged.versions());
                    }
                    // A workspace with nothing old enough costs one index probe: no pause for it.
                    if ((purged.rows() > 0 || purged.full()) && !tally.pause()) {
                        return;
                    }
                } while (purged.full());
            }
            after = step.get(step.size() - 1);
        }
    }

    private void purgeStoredAnswers(Instant before, Tally tally) {
        if (tally.stopped) {
            return;
        }
        int purged;
        do {
            purged = store.purgeStoredAnswers(before, config.batchSize());
            tally.storedAnswers += purged;
            observer.storedAnswersPurged(purged);
        } while (purged >= config.batchSize() && tally.pause());
    }
}
