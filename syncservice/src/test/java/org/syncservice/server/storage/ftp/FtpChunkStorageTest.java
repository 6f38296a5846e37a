package org.syncservice.server.storage.ftp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.apache.ftpserver.ftplet.UserManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorageContract;
import org.syncservice.server.workspace.StorageLayout;
import org.syncservice.server.workspace.StorageLocation;

/** The storage contract on FTP, against Apache FtpServer in this JVM on 127.0.0.1. */
class FtpChunkStorageTest extends ChunkStorageContract {
    private static final String USER = "syncservice";
    private static final String PASSWORD = "ftp-" + UUID.randomUUID();
    private static FtpServer server;
    private static Path home;
    private static StorageConfig config;

    @BeforeAll
    static void startServer() throws Exception {
        home = Files.createTempDirectory("ftp-home");
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
        user.setPassword(PASSWORD);
        user.setHomeDirectory(home.toString());
        user.setAuthorities(List.of(new WritePermission()));
        users.save(user);
        factory.setUserManager(users);
        server = factory.createServer();
        server.start();
        int port = ((DefaultFtpServer) server).getListener("default").getPort();
        config = new StorageConfig(StorageConfig.Backend.FTP, Duration.ofMinutes(15), false, null, null,
                new StorageConfig.Ftp("127.0.0.1", port, USER, Secret.of(PASSWORD), "/syncservice/chunks", false));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Override
    protected ChunkStorage newStorage() {
        FtpChunkStorage storage = new FtpChunkStorage(config.ftp());
        storage.start();
        return storage;
    }

    @Override
    protected StorageLocation newLocation() {
        return new StorageLayout(config).locationFor(UUID.randomUUID());
    }

    /** As an FTP client with its own account would. */
    @Override
    protected void putChunk(StorageLocation where, String chunk, byte[] content) throws IOException {
        FTPClient ftp = new FTPClient();
        ftp.connect(config.ftp().host(), config.ftp().port());
        try {
            if (!ftp.login(USER, PASSWORD)) {
                throw new IOException("login refused");
            }
            ftp.enterLocalPassiveMode();
            ftp.setFileType(FTP.BINARY_FILE_TYPE);
            if (!ftp.storeFile(where.objectName(chunk), new ByteArrayInputStream(content))) {
                throw new IOException("cannot store " + where.objectName(chunk) + ": " + ftp.getReplyString());
            }
            ftp.logout();
        } finally {
            ftp.disconnect();
        }
    }
}
