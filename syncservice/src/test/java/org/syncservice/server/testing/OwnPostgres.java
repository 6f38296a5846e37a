package org.syncservice.server.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.syncservice.server.store.jdbc.SchemaMigrations;

/**
 * A PostgreSQL cluster of the test's own (Debian's {@code pg_createcluster}, trust authentication on
 * 127.0.0.1, a free port), so a fault test can stop and restart it without touching the machine's
 * shared server. Dropped on close. Needs root (the cluster runs as the postgres OS user) and the
 * postgresql-common tools; {@link #available()} says whether they are there.
 */
public final class OwnPostgres implements AutoCloseable {
    private static final String VERSION = System.getProperty("syncservice.test.pgVersion", "15");
    private static final String DATABASE = "syncservice";

    private final String cluster;
    private final int port;

    private OwnPostgres(String cluster, int port) {
        this.cluster = cluster;
        this.port = port;
    }

    public static boolean available() {
        try {
            run(30, "pg_lsclusters");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates and starts a cluster with a database holding the schema. */
    public static OwnPostgres create() throws IOException, SQLException {
        String cluster = "sstest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        int port = Commands.freePort();
        run(120, "pg_createcluster", VERSION, cluster, "-p", Integer.toString(port), "--", "--auth=trust");
        OwnPostgres postgres = new OwnPostgres(cluster, port);
        try {
            postgres.start();
            try (Connection admin = DriverManager.getConnection(postgres.url("postgres"), "postgres", "");
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
            new SchemaMigrations(postgres.dataSource()).migrate();
            return postgres;
        } catch (IOException | SQLException | RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public String url() {
        return url(DATABASE);
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    /** A fresh connection per call: survives restarts of the cluster. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url());
        dataSource.setUser(user());
        return dataSource;
    }

    public void start() throws IOException {
        run(120, "pg_ctlcluster", VERSION, cluster, "start");
    }

    /** Fast shutdown: open connections are terminated, transactions in progress roll back. */
    public void stop() throws IOException {
        run(120, "pg_ctlcluster", VERSION, cluster, "stop", "-m", "fast");
    }

    @Override
    public void close() throws IOException {
        run(120, "pg_dropcluster", "--stop", VERSION, cluster);
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static String run(int timeoutSeconds, String... command) throws IOException {
        return Commands.run(timeoutSeconds, List.of(command));
    }
}
