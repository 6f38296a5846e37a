package org.syncservice.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.desktop.engine.DesktopClient;
import org.syncservice.desktop.engine.DesktopSettings;
import org.syncservice.desktop.engine.ProgressListener;
import org.syncservice.desktop.local.IgnoreRules;
import org.syncservice.embedded.EmbeddedSyncService;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;

/**
 * A service and devices that sync folders with it, for end-to-end tests: each device has a folder,
 * a state directory, an SDK client logged in as its own device, and a desktop client that can be
 * started and stopped (an offline period, a restart). The service is the embedded one, or any
 * other {@link Service} (the machine's PostgreSQL and RabbitMQ, restored from a backup).
 */
final class SyncWorld implements AutoCloseable {
    static final String PASSWORD = "world-password";
    static final Duration DEBOUNCE = Duration.ofMillis(50);

    /** What the world needs of the service its devices sync with. */
    interface Service extends AutoCloseable {
        /** How devices reach it; the same for the world's whole life. */
        SyncClientOptions options();

        /** Creates a user with a fresh default workspace. */
        void createUser(String email, String password);

        /** A connection to the database it runs on now, for what tests look at in it. */
        Connection database() throws SQLException;
    }

    private final Path directory;
    private final Service service;
    private final EmbeddedSyncService embedded;
    private final List<Device> devices = new ArrayList<>();

    private SyncWorld(Path directory, Service service, EmbeddedSyncService embedded) {
        this.directory = directory;
        this.service = service;
        this.embedded = embedded;
    }

    static SyncWorld start(Path directory) throws Exception {
        EmbeddedSyncService service = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(directory.resolve("service"), 0, PASSWORD,
                        Map.of("auth.password-hash-iterations", "10000",
                        // The broker password the desktop client sends by default, for the embedded broker too.
                        "amqp.password", "guest")));
        service.start();
        return new SyncWorld(directory, new Embedded(service), service);
    }

    /** A world on {@code service}, which it closes. */
    static SyncWorld on(Path directory, Service service) {
        return new SyncWorld(directory, service, null);
    }

    /** The embedded service, as a world's {@link Service}. */
    private record Embedded(EmbeddedSyncService service) implements Service {
        @Override
        public SyncClientOptions options() {
            return SyncClientOptions.builder()
                    .host("127.0.0.1")
                    .port(service.amqpPort())
                    .requestQueue(service.config().amqp().requestQueue())
                    .callTimeout(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofSeconds(2))
                    .requestExpiration(false)
                    .build();
        }

        @Override
        public void createUser(String email, String password) {
            service.service().components().accounts().createUser(email, "User", password, 10L << 30);
        }

        @Override
        public Connection database() throws SQLException {
            return DriverManager.getConnection(service.jdbcUrl(), service.config().database().user(),
                    service.config().database().password().reveal());
        }

        @Override
        public void close() {
            service.close();
        }
    }

    /** The broker's URL, as the command line's {@code --server} takes it. */
    String brokerUrl() {
        return "amqp://127.0.0.1:" + embedded.amqpPort();
    }

    /**
     * Where the embedded S3 store keeps the bucket's objects: S3Proxy's file-system blob store, one
     * file per chunk, named by the chunk under the workspace's prefix.
     */
    Path storageDirectory() {
        return directory.resolve("service").resolve("s3").resolve("syncservice");
    }

    SyncClientOptions options() {
        return service.options();
    }

    int amqpPort() {
        return embedded.amqpPort();
    }

    int s3Port() {
        return embedded.s3Port();
    }

    /** A new user with a fresh default workspace; returns its e-mail. */
    String newUser() {
        String email = "u-" + UUID.randomUUID() + "@example.org";
        service.createUser(email, PASSWORD);
        return email;
    }

    /**
     * Makes every cursor of the workspace older than its kept history, as a purge of all its
     * tombstones and old versions would: get_changes then answers CURSOR_EXPIRED, history purged.
     */
    void purgeHistory(String workspaceId) throws SQLException {
        try (Connection c = service.database();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE workspaces SET purged_up_to_seq = latest_change_seq WHERE workspace_id = ?::uuid")) {
            ps.setString(1, workspaceId);
            ps.executeUpdate();
        }
    }

    Device device(String email, String name) throws IOException {
        return device(email, name, null);
    }

    /** A device that syncs the workspace named by id (null: the user's default workspace). */
    Device device(String email, String name, String workspaceId) throws IOException {
        Device device = new Device(email, name, directory.resolve("devices").resolve(UUID.randomUUID().toString()),
                workspaceId);
        devices.add(device);
        return device;
    }

    /** One device: its folder, its state, its clients. */
    final class Device implements AutoCloseable {
        final String name;
        final Path folder;
        final Path state;
        final SyncClient sdk;
        final String deviceId;
        final String workspaceId;
        private DesktopClient client;

        private Device(String email, String name, Path home, String workspaceId) throws IOException {
            this.name = name;
            this.folder = Files.createDirectories(home.resolve("folder"));
            this.state = home.resolve("state");
            this.sdk = SyncClient.connect(options());
            LoginResponse login = sdk.login(LoginRequest.newBuilder().setEmail(email).setPassword(PASSWORD)
                    .setDeviceName(name).setOs("linux").setAppVersion("test").build());
            sdk.setToken(login.getToken());
            this.deviceId = login.getDeviceId();
            this.workspaceId = workspaceId != null ? workspaceId
                    : sdk.listWorkspaces().getWorkspaces(0).getWorkspaceId();
        }

        Device start() {
            return start(1.0);
        }

        Device start(double massDeletionShare) {
            return start(massDeletionShare, List.of());
        }

        /** Starts the client keeping only these folders of the workspace ({@code --only}). */
        Device startOnly(String... folders) {
            return start(1.0, List.of(folders));
        }

        private Device start(double massDeletionShare, List<String> onlyFolders) {
            if (client == null) {
                client = DesktopClient.start(new DesktopSettings(folder, state, workspaceId, deviceId, name,
                        options(), massDeletionShare, DEBOUNCE, Duration.ofSeconds(30), onlyFolders), sdk,
                        ProgressListener.NONE);
            }
            return this;
        }

        void stop() {
            if (client != null) {
                client.close();
                client = null;
            }
        }

        boolean running() {
            return client != null;
        }

        DesktopClient client() {
            return client;
        }

        Path path(String relative) {
            return folder.resolve(relative);
        }

        @Override
        public void close() {
            stop();
            sdk.close();
        }
    }

    /** The workspace's live tree on the service: path to checksum, "" for folders. */
    Map<String, String> serverTree(Device asDevice) {
        Map<Long, Item> items = new HashMap<>();
        String cursor = "";
        while (true) {
            GetChangesResponse page = asDevice.sdk.getChanges(GetChangesRequest.newBuilder()
                    .setWorkspaceId(asDevice.workspaceId).setCursor(cursor).build());
            for (Item item : page.getItemsList()) {
                items.put(item.getItemId(), item);
            }
            cursor = page.getNextCursor();
            if (!page.getHasMore()) {
                break;
            }
        }
        Map<String, String> tree = new TreeMap<>();
        for (Item item : items.values()) {
            if (item.getStatus() == org.syncservice.protocol.v1.ItemStatus.ITEM_STATUS_DELETED) {
                continue;
            }
            List<String> names = new ArrayList<>();
            Item at = item;
            while (at != null) {
                names.add(0, at.getName());
                at = at.getParentId() == 0 ? null : items.get(at.getParentId());
            }
            tree.put(String.join("/", names), item.getIsFolder() ? "" : item.getChecksum());
        }
        return tree;
    }

    /**
     * A folder's tree as the service would record it: path to checksum, "" for folders. Read again
     * when a file vanishes under the walk (a client's temporary download finishing, say).
     */
    static Map<String, String> folderTree(Path folder) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readFolderTree(folder);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt >= 20) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, String> readFolderTree(Path folder) {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(folder)) {
                    continue;
                }
                String relative = folder.relativize(p).toString();
                if (IgnoreRules.defaults().ignores(relative)) {
                    continue; // never synced: temporary downloads, the folder's marker
                }
                tree.put(relative, Files.isDirectory(p) ? "" : checksum(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    static String checksum(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code text} to {@code file} in UTF-8, making its folders first. */
    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The checksum the service records for a file holding {@code text} in UTF-8. */
    static String checksum(String text) {
        return checksum(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String checksum(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    /** Every checksum any version of any item of the workspace ever had (the version history). */
    Set<String> storedChecksums(String workspaceId) throws SQLException {
        Set<String> checksums = new HashSet<>();
        try (Connection c = service.database();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT DISTINCT checksum FROM item_versions WHERE workspace_id = ?::uuid")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checksums.add(rs.getString(1));
                }
            }
        }
        return checksums;
    }

    /** How many versions the service stored in the workspace. */
    long storedVersionCount(String workspaceId) throws SQLException {
        return count("SELECT count(*) FROM item_versions WHERE workspace_id = ?::uuid", workspaceId);
    }

    /** How many versions each device committed in the workspace, by device name. */
    Map<String, Long> versionsByDeviceName(String workspaceId) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = service.database();
             PreparedStatement ps = c.prepareStatement("SELECT d.name, count(*) FROM item_versions v"
                     + " JOIN devices d ON d.device_id = v.device_id WHERE v.workspace_id = ?::uuid GROUP BY d.name")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** How many items, live or deleted, the workspace holds. */
    long storedItemCount(String workspaceId) throws SQLException {
        return count("SELECT count(*) FROM items WHERE workspace_id = ?::uuid", workspaceId);
    }

    private long count(String sql, String workspaceId) throws SQLException {
        try (Connection c = service.database();
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Waits until every running device's folder equals the service's tree and the trees stay so;
     * returns the tree. Fails with the differences when they do not converge within {@code timeout}.
     */
    Map<String, String> awaitConverged(Duration timeout, List<Device> running) throws InterruptedException {
        return awaitConverged(timeout, running, List.of());
    }

    /**
     * As {@link #awaitConverged(Duration, List)}, with the folders of clients running elsewhere (in
     * processes of their own) too; those are judged by their folders alone.
     */
    Map<String, String> awaitConverged(Duration timeout, List<Device> running, List<Path> otherFolders)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> lastServer = Map.of();
        Map<String, Map<String, String>> lastLocal = new HashMap<>();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            Map<String, String> server = serverTree(running.get(0));
            boolean equal = true;
            for (Device d : running) {
                Map<String, String> local = folderTree(d.folder);
                lastLocal.put(d.name, local);
                equal &= local.equals(server);
            }
            for (Path folder : otherFolders) {
                Map<String, String> local = folderTree(folder);
                lastLocal.put(folder.toString(), local);
                equal &= local.equals(server);
            }
            equal &= running.stream().allMatch(d -> d.client() == null || d.client().isIdle());
            if (equal && server.equals(lastServer)) {
                if (++stable >= 2) {
                    return server;
                }
            } else {
                stable = 0;
            }
            lastServer = server;
            Thread.sleep(250);
        }
        StringBuilder why = new StringBuilder("the folders did not converge within " + timeout + ":\nserver "
                + lastServer);
        lastLocal.forEach((name, tree) -> why.append('\n').append(name).append(' ').append(tree));
        for (Device d : running) {
            why.append('\n').append(d.name).append(" idle=").append(d.client() != null && d.client().isIdle());
            try {
                why.append(' ').append(org.syncservice.desktop.state.StatusReader.read(d.state));
            } catch (IOException e) {
                why.append(" no status: ").append(e);
            }
        }
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("syncservice-desktop")) {
                why.append("\n").append(thread.getName()).append(' ').append(thread.getState());
                for (StackTraceElement frame : stack) {
                    why.append("\n    at ").append(frame);
                }
            }
        });
        throw new AssertionError(why.toString());
    }

    /** Closes every device made so far (a test class's, when the next one shares the service). */
    void closeDevices() {
        for (Device d : devices) {
            try {
                d.close();
            } catch (RuntimeException e) {
                // best effort
            }
        }
        devices.clear();
    }

    @Override
    public void close() throws Exception {
        closeDevices();
        service.close();
    }
}
