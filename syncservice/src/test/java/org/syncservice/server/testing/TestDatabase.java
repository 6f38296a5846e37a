package org.syncservice.server.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.syncservice.server.store.jdbc.SchemaMigrations;

/**
 * A database of its own on the machine's PostgreSQL, with the schema applied, dropped on close.
 * Each test class makes one, so runs never share state. The server is found through
 * SYNCSERVICE_TEST_PG_HOST / _PORT / _USER (defaults: 127.0.0.1, 5432, postgres, trust auth).
 */
public final class TestDatabase implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() throws SQLException {
        String name = "syncservice_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        try (Connection admin = DriverManager.getConnection(url("postgres"), user(), "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        TestDatabase database = new TestDatabase(name);
        new SchemaMigrations(database.dataSource()).migrate();
        return database;
    }

    /** A database of its own without the schema, for tests of schema installation. */
    public static TestDatabase createEmpty() throws SQLException {
        String name = "syncservice_test_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        try (Connection admin = DriverManager.getConnection(url("postgres"), user(), "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase(name);
    }

    public String url() {
        return url(name);
    }

    public String name() {
        return name;
    }

    public static String user() {
        return env("SYNCSERVICE_TEST_PG_USER", "postgres");
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url());
        dataSource.setUser(user());
        return dataSource;
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = DriverManager.getConnection(url("postgres"), user(), "");
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + env("SYNCSERVICE_TEST_PG_HOST", "127.0.0.1") + ":"
                + env("SYNCSERVICE_TEST_PG_PORT", "5432") + "/" + database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
