package org.syncservice.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.syncservice.server.store.jdbc.SchemaMigrations;

/**
 * A primary and a streaming-replication standby, two PostgreSQL clusters of the test's own
 * ({@code initdb}, then {@code pg_basebackup -R}), each in a directory of its own under one
 * temporary directory, on free ports of 127.0.0.1 with trust authentication. The primary holds
 * the service's schema. Closing it stops both servers at once and deletes their directories,
 * whatever state a failed test left them in. Needs root (the servers run as the postgres OS user)
 * and the PostgreSQL binaries; {@link #available()} says whether they are there.
 *
 * <p>The servers run without fsync: the fault tests kill processes, not the machine, and what a
 * killed process had written is in the operating system's cache all the same.
 */
public final class PostgresStandby implements AutoCloseable {
    private static final Path BINARIES = Path.of(System.getProperty("syncservice.test.pgBin",
            "/usr/lib/postgresql/15/bin"));
    private static final String DATABASE = "syncservice";
    private static final String OS_USER = "postgres";

    private final Path base;
    private final Node primary;
    private final Node standby;

    private PostgresStandby(Path base, Node primary, Node standby) {
        this.base = base;
        this.primary = primary;
        this.standby = standby;
    }

    public static boolean available() {
        return Files.isExecutable(BINARIES.resolve("initdb")) && "root".equals(System.getProperty("user.name"));
    }

    /**
     * Creates both clusters, the schema on the primary, and waits until the standby streams.
     *
     * @param synchronous whether the primary waits for the standby to flush each commit
     *     ({@code synchronous_standby_names = '*'}) before it answers
     */
    public static PostgresStandby create(boolean synchronous) throws IOException, SQLException {
        Path base = Files.createTempDirectory("sstest-standby-");
        Node primary = new Node(base, "primary", Commands.freePort());
        Node standby = new Node(base, "standby", Commands.freePort());
        PostgresStandby pair = new PostgresStandby(base, primary, standby);
        try {
            Commands.run(30, List.of("chown", OS_USER, base.toString()));
            primary.tool(120, "initdb", "-D", primary.data.toString(), "--auth=trust", "-U", "postgres",
                    "--no-sync", "--no-instructions");
            primary.configure("wal_level = replica", "max_wal_senders = 4", "wal_keep_size = '256MB'");
            primary.start();
            try (Connection admin = DriverManager.getConnection(primary.url("postgres"), "postgres", "");
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
            new SchemaMigrations(primary.dataSource()).migrate();
            standby.tool(120, "pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(primary.port), "-U",
                    "postgres", "-D", standby.data.toString(), "-R", "-X", "stream", "-c", "fast");
            standby.configure("hot_standby_feedback = on", "synchronous_standby_names = ''");
            standby.start();
            pair.awaitStreaming(Duration.ofSeconds(30));
            if (synchronous) {
                // Only now: with no standby yet, every commit (the schema's too) would wait for one.
                primary.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
                primary.execute("SELECT pg_reload_conf()");
                pair.awaitSynchronous(Duration.ofSeconds(30));
            }
            return pair;
        } catch (IOException | SQLException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    public Node primary() {
        return primary;
    }

    public Node standby() {
        return standby;
    }

    /**
     * A URL naming both servers that pgjdbc resolves to whichever of them is the primary at the
     * moment it connects: after a promotion, the new one.
     */
    public String failoverUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primary.port + ",127.0.0.1:" + standby.port + "/" + DATABASE
                + "?targetServerType=primary";
    }

    public String user() {
        return "postgres";
    }

    /** Stops applying WAL on the standby (it goes on receiving it): reads there stand still. */
    public void pauseReplay() throws SQLException {
        standby.execute("SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay() throws SQLException {
        standby.execute("SELECT pg_wal_replay_resume()");
    }

    /** Waits until the standby has replayed everything the primary has written up to now. */
    public void awaitReplayed(Duration patience) throws SQLException, InterruptedException {
        String written = primary.query("SELECT pg_current_wal_lsn()::text");
        long deadline = System.nanoTime() + patience.toNanos();
        while (!"t".equals(standby.query("SELECT pg_last_wal_replay_lsn() >= '" + written + "'::pg_lsn"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby did not replay up to " + written + " within " + patience);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Waits until the standby has replayed all the WAL it received (after the primary died, say). */
    public void awaitReceivedReplayed(Duration patience) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!"t".equals(standby.query("SELECT pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby did not replay what it received within " + patience);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private void awaitStreaming(Duration patience) throws SQLException, IOException {
        awaitReplication("state = 'streaming'", "stream from the primary", patience);
    }

    private void awaitSynchronous(Duration patience) throws SQLException, IOException {
        awaitReplication("sync_state = 'sync'", "become synchronous", patience);
    }

    private void awaitReplication(String condition, String what, Duration patience) throws SQLException, IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!"1".equals(primary.query("SELECT count(*) FROM pg_stat_replication WHERE " + condition))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the standby did not " + what + " within " + patience);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        List<Exception> failures = new ArrayList<>();
        for (Node node : List.of(standby, primary)) {
            try {
                node.kill();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        if (!failures.isEmpty()) {
            IOException failure = new IOException("could not kill a PostgreSQL server of the test");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** One of the two servers: its own directory, port and log. */
    public static final class Node {
        private final Path data;
        private final Path log;
        private final Path sockets;
        private final int port;

        private Node(Path base, String name, int port) {
            this.data = base.resolve(name);
            this.log = base.resolve(name + ".log");
            this.sockets = base;
            this.port = port;
        }

        public int port() {
            return port;
        }

        public String url() {
            return url(DATABASE);
        }

        /** A fresh connection per call: survives restarts, kills and promotions. */
        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url());
            dataSource.setUser("postgres");
            return dataSource;
        }

        public void start() throws IOException {
            tool(120, "pg_ctl", "-D", data.toString(), "-l", log.toString(), "-w", "-t", "60", "start");
        }

        /** Fast shutdown: connections are terminated, and a primary sends its standby all it wrote first. */
        public void stop() throws IOException {
            tool(120, "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
        }

        /** SIGKILL to the server and every process of it: nothing is sent, flushed or cleaned up any more. */
        public void kill() throws IOException {
            Path pidFile = data.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                List<ProcessHandle> processes = new ArrayList<>(postmaster.descendants().toList());
                postmaster.destroyForcibly();
                processes.forEach(ProcessHandle::destroyForcibly);
                postmaster.onExit().join();
            });
            Files.deleteIfExists(pidFile);
        }

        /** Ends recovery: the standby becomes a primary that takes writes. */
        public void promote() throws IOException {
            tool(120, "pg_ctl", "-D", data.toString(), "-w", "-t", "60", "promote");
        }

        /** Whether the server is in recovery (a standby). */
        public boolean inRecovery() throws SQLException {
            return "t".equals(query("SELECT pg_is_in_recovery()"));
        }

        /** The first column of the first row, as text. */
        public String query(String sql) throws SQLException {
            try (Connection connection = dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(sql)) {
                return row.next() ? row.getString(1) : null;
            }
        }

        void execute(String sql) throws SQLException {
            try (Connection connection = dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        private void configure(String... settings) throws IOException {
            List<String> lines = new ArrayList<>(List.of("port = " + port, "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = '" + sockets + "'", "fsync = off", "max_connections = 60",
                    "shared_buffers = '32MB'"));
            lines.addAll(List.of(settings));
            Files.write(data.resolve("postgresql.conf"), lines, java.nio.file.StandardOpenOption.APPEND);
        }

        private String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        /** Runs a PostgreSQL tool as the postgres OS user, which owns the data directories. */
        private String tool(int timeoutSeconds, String name, String... arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--",
                    BINARIES.resolve(name).toString()));
            command.addAll(List.of(arguments));
            return Commands.run(timeoutSeconds, command);
        }
    }
}
