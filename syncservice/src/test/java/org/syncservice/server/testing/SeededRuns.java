package org.syncservice.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.account.LoginAttempt;
import org.syncservice.server.account.LoginResult;
import org.syncservice.server.core.Principal;

/**
 * What the seeded randomized tests share: a database fit for thousands of small commits, a fresh
 * owner and workspace per seed, and the loop over seeds that names the failing one and replays one
 * given by a system property.
 */
public final class SeededRuns {

    /** One seed's run. */
    @FunctionalInterface
    public interface Run {
        void run(long seed) throws Exception;
    }

    /** A fresh user's device and default workspace. */
    public record Owner(Principal principal, UUID workspace) {
    }

    private SeededRuns() {
    }

    /** A test database whose commits do not wait for the disk: durability is not what these tests are about. */
    public static TestDatabase fastDatabase() throws Exception {
        TestDatabase database = TestDatabase.create();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement fast = c.prepareStatement("ALTER DATABASE " + database.name()
                     + " SET synchronous_commit = off")) {
            fast.execute();
        } catch (SQLException e) {
            database.close();
            throw e;
        }
        return database;
    }

    public static Owner newOwner(ServiceComponents components) {
        String email = "u" + UUID.randomUUID() + "@example.org";
        CreatedUser user = components.accounts().createUser(email, "User", "password-1", 1L << 40);
        LoginResult login = components.accounts().login(new LoginAttempt(email, "password-1", Optional.empty(),
                "laptop", "linux", "1", "login-" + UUID.randomUUID()));
        return new Owner(new Principal(login.userId(), login.deviceId()), user.defaultWorkspaceId());
    }

    /**
     * The system properties of one test: the seed to replay, how many seeds to run, the first one.
     */
    public record Properties(String seed, String seeds, String base) {
    }

    /**
     * Runs the seed in {@code properties.seed()} if set, else {@code properties.seeds()} seeds
     * (default {@code defaultSeeds}) from {@code properties.base()} (default: the clock), and prints
     * how long they took. A failure names its seed and the property that replays it.
     */
    public static void run(String test, Properties properties, int defaultSeeds, Run run) throws Exception {
        String replay = System.getProperty(properties.seed());
        if (replay != null) {
            runOne(properties, Long.parseLong(replay), run);
            return;
        }
        int seeds = Integer.getInteger(properties.seeds(), defaultSeeds);
        long base = Long.getLong(properties.base(), System.nanoTime());
        long started = System.nanoTime();
        for (int i = 0; i < seeds; i++) {
            runOne(properties, base + i, run);
        }
        System.out.printf("%s: %d seeds from %d in %d ms%n", test, seeds, base, (System.nanoTime() - started) / 1_000_000);
    }

    private static void runOne(Properties properties, long seed, Run run) throws Exception {
        try {
            run.run(seed);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("seed " + seed + " failed; replay with -D" + properties.seed() + "=" + seed + ": "
                    + e.getMessage(), e);
        }
    }
}
