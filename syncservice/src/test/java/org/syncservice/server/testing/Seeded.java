package org.syncservice.server.testing;

import java.util.Random;

/**
 * A randomized test run from a seed: the one a system property names, to replay a failure, else a
 * new one. A failure names its seed and the property that replays it. Stateless.
 */
public final class Seeded {
    /** The randomized part of a test, every choice drawn from {@code random}. */
    @FunctionalInterface
    public interface Run {
        void run(Random random) throws Exception;
    }

    private Seeded() {
    }

    /**
     * @param property the system property that replays a seed, e.g. "syncservice.test.lockSeed"
     * @param what what the run checks, for the failure's message, e.g. "the lock race"
     */
    public static void run(String property, String what, Run run) {
        long seed = Long.getLong(property, new Random().nextLong());
        try {
            run.run(new Random(seed));
        } catch (AssertionError | Exception e) {
            throw new AssertionError(what + " failed with seed " + seed + "; replay it with -D" + property + "=" + seed, e);
        }
    }
}
