package org.syncservice.bench;

import java.util.List;

/** What one benchmark operation does. Workers are used by one thread each. */
interface Workload {

    enum Kind { COMMIT, BATCH, CHANGES, MIXED }

    /** Builds the state of worker {@code index} (untimed: setup commits happen here). */
    Worker worker(int index);

    interface Worker {
        /** Runs one operation; counts its item outcomes in {@code outcomes}. Throws on a request error. */
        void runOnce(Tally outcomes);
    }

    static Workload of(Kind kind, List<Fleet.Device> devices, BenchOptions options) {
        return switch (kind) {
            case COMMIT -> new NewFiles(devices, 1, options.chunksPerFile());
            case BATCH -> new NewFiles(devices, options.batchSize(), options.chunksPerFile());
            case CHANGES -> new ChangesAfterCursor(devices, options.chunksPerFile());
            case MIXED -> new MixedEdits(devices, options.chunksPerFile());
        };
    }
}
