package org.syncservice.packaging;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * What a packaged service needs, made for one test with names of its own and removed on close: a
 * PostgreSQL role and database, a RabbitMQ virtual host and user (through rabbitmqctl, so the
 * test runs as root), an S3 store (S3Proxy in this JVM), each with a random password, and a free
 * port for the health endpoint. The service gets them as environment variables, the secrets as
 * files ({@link #writeSecrets}), as an operator's drop-in would hand them over.
 */
final class ServiceBackends implements AutoCloseable {
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String S3_ACCESS_KEY = "packaging-access";

    final String name;
    final int httpPort;
    private final String dbPassword = randomHex(16);
    private final String amqpPassword = randomHex(16);
    private final String s3SecretKey = randomHex(16);
    private final BlobStore blobs;
    private final S3Proxy s3;
    private boolean database;
    private boolean virtualHost;

    private ServiceBackends(String name) throws Exception {
        this.name = name;
        this.httpPort = freePort();
        blobs = new TransientNio2BlobStore();
        s3 = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_ACCESS_KEY, s3SecretKey).build();
    }

    static ServiceBackends create(String purpose) throws Exception {
        ServiceBackends backends = new ServiceBackends(purpose + "_" + randomHex(5));
        try {
            backends.start();
            return backends;
        } catch (Exception | AssertionError e) {
            backends.close();
            throw e;
        }
    }

    private void start() throws Exception {
        s3.start();
        for (int i = 0; i < 500 && !"STARTED".equals(s3.getState()); i++) {
            Thread.sleep(10);
        }
        try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                Statement statement = connection.createStatement()) {
            // Names and password are this class's own hex, never input: no injection possible.
            statement.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + dbPassword + "'");
            database = true;
            statement.execute("CREATE DATABASE " + name + " OWNER " + name);
        }
        Commands.run("rabbitmqctl", "add_vhost", name).orFail();
        virtualHost = true;
        Commands.run(Map.of(), amqpPassword + "\n", "rabbitmqctl", "add_user", name).orFail();
        Commands.run("rabbitmqctl", "set_permissions", "-p", name, name, ".*", ".*", ".*").orFail();
    }

    /** The secrets as the files systemd's LoadCredential= would give: named like their keys, dots as dashes. */
    void writeSecrets(Path directory) throws IOException {
        Files.writeString(directory.resolve("db-password"), dbPassword + "\n");
        Files.writeString(directory.resolve("amqp-password"), amqpPassword + "\n");
        Files.writeString(directory.resolve("storage-s3-secret-key"), s3SecretKey + "\n");
    }

    /** The settings that differ from the defaults, as variables; the secrets' come from {@link #secretFiles}. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("SYNCSERVICE_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + name);
        settings.put("SYNCSERVICE_DB_USER", name);
        settings.put("SYNCSERVICE_AMQP_VIRTUAL_HOST", name);
        settings.put("SYNCSERVICE_AMQP_USER", name);
        settings.put("SYNCSERVICE_STORAGE_BACKEND", "s3");
        settings.put("SYNCSERVICE_STORAGE_S3_ENDPOINT", "http://127.0.0.1:" + s3.getPort());
        settings.put("SYNCSERVICE_STORAGE_S3_BUCKET", name.replace('_', '-'));
        settings.put("SYNCSERVICE_STORAGE_S3_ACCESS_KEY", S3_ACCESS_KEY);
        settings.put("SYNCSERVICE_HTTP_PORT", Integer.toString(httpPort));
        return settings;
    }

    /** The -file variables of the secrets {@link #writeSecrets} wrote into this directory. */
    static Map<String, String> secretFiles(String directory) {
        return Map.of(
                "SYNCSERVICE_DB_PASSWORD_FILE", directory + "/db-password",
                "SYNCSERVICE_AMQP_PASSWORD_FILE", directory + "/amqp-password",
                "SYNCSERVICE_STORAGE_S3_SECRET_KEY_FILE", directory + "/storage-s3-secret-key");
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        try {
            s3.stop();
        } catch (Exception e) {
            failure = e;
        }
        blobs.close();
        if (virtualHost) {
            Commands.run("rabbitmqctl", "delete_vhost", name);
            Commands.run("rabbitmqctl", "delete_user", name);
        }
        if (database) {
            try (Connection connection = DriverManager.getConnection(POSTGRES, "postgres", "");
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                statement.execute("DROP ROLE IF EXISTS " + name);
            } catch (SQLException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
