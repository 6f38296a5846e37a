package org.syncservice.server.storage.ftp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;

/**
 * A real FTP server (Apache FtpServer) on 127.0.0.1 and a free port, in this JVM, with one user
 * whose home is a temporary directory; closing it stops the server and deletes the directory.
 * For tests.
 */
public final class TestFtpServer implements AutoCloseable {
    static final String USER = "syncservice";
    static final String ROOT_DIRECTORY = "/syncservice/chunks";

    private final String password;
    private final Path home;
    private final FtpServer server;
    private final int port;

    private TestFtpServer(String password, Path home, FtpServer server, int port) {
        this.password = password;
        this.home = home;
        this.server = server;
        this.port = port;
    }

    public static TestFtpServer start() throws Exception {
        String password = "ftp-" + UUID.randomUUID();
        Path home = Files.createTempDirectory("ftp-home");
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        data.setPassiveExternalAddress("127.0.0.1");
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        factory.addListener("default", listener.createListener());
        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(password);
        user.setHomeDirectory(home.toString());
        user.setAuthorities(List.of(new WritePermission()));
        users.save(user);
        factory.setUserManager(users);
        FtpServer server = factory.createServer();
        server.start();
        int port = ((DefaultFtpServer) server).getListener("default").getPort();
        return new TestFtpServer(password, home, server, port);
    }

    /** The storage configuration that points a back-end at this server. */
    public StorageConfig storageConfig() {
        return new StorageConfig(StorageConfig.Backend.FTP, Duration.ofMinutes(15), false, null, null,
                new StorageConfig.Ftp("127.0.0.1", port, USER, Secret.of(password), ROOT_DIRECTORY, false));
    }

    /** The config keys that point a service at this server. */
    public Map<String, String> serviceSettings() {
        return Map.of(
                "storage.backend", "ftp",
                "storage.ftp.host", "127.0.0.1",
                "storage.ftp.port", Integer.toString(port),
                "storage.ftp.user", USER,
                "storage.ftp.password", password,
                "storage.ftp.root-directory", ROOT_DIRECTORY);
    }

    /** Stores {@code content} as the file {@code path}, as an FTP client with its own account would. */
    public void put(String path, byte[] content) throws IOException {
        withClient(ftp -> {
            if (!ftp.storeFile(path, new ByteArrayInputStream(content))) {
                throw new IOException("cannot store " + path + ": " + ftp.getReplyString());
            }
            return null;
        });
    }

    /** The content of the file {@code path}, as an FTP client with its own account reads it. */
    public byte[] get(String path) throws IOException {
        return withClient(ftp -> {
            java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
            if (!ftp.retrieveFile(path, content)) {
                throw new IOException("cannot read " + path + ": " + ftp.getReplyString());
            }
            return content.toByteArray();
        });
    }

    private interface FtpCall<T> {
        T call(FTPClient ftp) throws IOException;
    }

    private <T> T withClient(FtpCall<T> call) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.connect("127.0.0.1", port);
        try {
            if (!ftp.login(USER, password)) {
                throw new IOException("login refused");
            }
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            T result = call.call(ftp);
            ftp.logout();
            return result;
        } finally {
            ftp.disconnect();
        }
    }

    @Override
    public void close() throws IOException {
        server.stop();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
