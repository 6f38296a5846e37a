package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.ClientProcesses.Client;
import org.syncservice.desktop.content.ContentReader;
import org.syncservice.desktop.local.IgnoreRules;
import org.syncservice.desktop.state.StatusReader;
import org.syncservice.desktop.state.StatusReport;

/**
 * The desktop client as people run it: each device a separate JVM of the command line with a
 * {@value ClientProcesses#HEAP} heap, against the embedded service in this process. Large files,
 * kills in the middle of transfers, a polite stop, and {@code status} from another process.
 */
@ExtendWith(SharedSyncWorld.class)
class ClientProcessTest {
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final long LARGE = 200_000_000;
    /** Large enough for tens of chunks, so a kill after the first lands in the middle of the transfer. */
    private static final long KILLABLE = 60_000_000;
    private static final String FILE = "large.bin";

    static SyncWorld world;

    @TempDir
    Path dir;
    private ClientProcesses processes;
    private String user;
    private SyncWorld.Device observer;

    @BeforeAll
    static void shareTheService(SyncWorld shared) {
        world = shared;
    }

    @BeforeEach
    void newUser() throws IOException {
        processes = new ClientProcesses(Files.createDirectories(dir.resolve("logs")));
        user = world.newUser();
        observer = world.device(user, "observer");
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        processes.close();
    }

    /** One device of the test's user: its folder and state directory. */
    private record Home(String name, Path folder, Path state) {
        Path file() {
            return folder.resolve(FILE);
        }
    }

    private Home home(String name) throws IOException {
        return new Home(name, Files.createDirectories(dir.resolve(name).resolve("folder")), dir.resolve(name).resolve("state"));
    }

    private Client sync(Home home) throws IOException {
        return processes.sync(world, user, home.name(), home.state(), home.folder());
    }

    @Test
    void aLargeFileSyncsByteForByteBetweenClientsWithASmallHeapAndStatusShowsItsUpload() throws Exception {
        Home a = home("proc-a");
        Home b = home("proc-b");
        Client clientA = sync(a);
        Client clientB = sync(b);
        awaitIdle(a, clientA);
        awaitIdle(b, clientB);

        String checksum = placeRandomFile(a, LARGE, 1);
        await("the upload to be recorded as pending", () -> !StatusReader.read(a.state()).uploads().isEmpty(), clientA);
        String status = processes.status(a.state(), a.folder());
        assertThat(status).contains("state: syncing", "uploads pending: 1 file, 200.0 MB", FILE + " (200.0 MB)");

        awaitFile(b, LARGE, clientB);
        awaitIdle(a, clientA);
        assertThat(SyncWorld.checksum(b.file())).isEqualTo(checksum);
        assertThat(world.serverTree(observer)).containsExactly(Map.entry(FILE, checksum));
        assertThat(processes.status(b.state(), b.folder())).contains("state: idle", "downloads pending: 0 files");
    }

    @Test
    void aClientKilledMidUploadResumesWithoutUploadingStoredChunksAgainOrCommittingTwice() throws Exception {
        Home a = home("proc-a");
        Client clientA = sync(a);
        awaitIdle(a, clientA);

        Path staged = stage(KILLABLE, 2);
        Set<String> chunks = new HashSet<>(new ContentReader().read(staged).chunks());
        String checksum = SyncWorld.checksum(staged);
        Files.move(staged, a.file(), StandardCopyOption.ATOMIC_MOVE);
        await("the first chunk in storage", () -> !storedChunks(chunks).isEmpty(), clientA);
        clientA.kill();
        Map<String, BlobStamp> beforeRestart = settledChunks(chunks);
        assertThat(beforeRestart.size()).as("chunks stored when the upload was killed, of " + chunks.size())
                .isBetween(1, chunks.size() - 1);

        Client restarted = sync(a);
        Home b = home("proc-b");
        Client clientB = sync(b);
        awaitFile(b, KILLABLE, clientB);
        awaitIdle(a, restarted);

        assertThat(SyncWorld.checksum(b.file())).isEqualTo(checksum);
        assertThat(SyncWorld.checksum(a.file())).isEqualTo(checksum);
        assertThat(world.serverTree(observer)).containsExactly(Map.entry(FILE, checksum));
        assertThat(world.storedItemCount(observer.workspaceId)).isEqualTo(1);
        assertThat(world.versionsByDeviceName(observer.workspaceId)).containsExactly(Map.entry("proc-a", 1L));
        Map<String, BlobStamp> after = storedChunks(chunks);
        assertThat(after.keySet()).isEqualTo(chunks);
        assertThat(after).as("the chunks stored before the kill are the same files, never written again")
                .containsAllEntriesOf(beforeRestart);
    }

    @Test
    void aClientKilledMidDownloadLeavesNoTemporaryFileAndCommitsNothingAfterItsRestart() throws Exception {
        Home a = home("proc-a");
        Client clientA = sync(a);
        awaitIdle(a, clientA);
        String checksum = placeRandomFile(a, KILLABLE, 3);
        await("the file on the service", () -> world.serverTree(observer).containsKey(FILE), clientA);

        Home b = home("proc-b");
        Client clientB = sync(b);
        await("a partly written download", () -> partlyDownloaded(b), clientB);
        clientB.kill();
        assertThat(temporaryFiles(b)).isNotEmpty();
        assertThat(b.file()).doesNotExist();

        Client restarted = sync(b);
        awaitFile(b, KILLABLE, restarted);
        awaitIdle(b, restarted);
        assertThat(temporaryFiles(b)).isEmpty();
        assertThat(SyncWorld.checksum(b.file())).isEqualTo(checksum);
        assertThat(world.serverTree(observer)).containsExactly(Map.entry(FILE, checksum));
        assertThat(world.versionsByDeviceName(observer.workspaceId)).containsExactly(Map.entry("proc-a", 1L));
    }

    @Test
    void sigtermStopsAnIdleClientWithExitZeroAndItsRestartPushesNothingAgain() throws Exception {
        Home a = home("proc-a");
        Client clientA = sync(a);
        awaitIdle(a, clientA);
        placeRandomFile(a, 10_000_000, 4);
        Files.writeString(Files.createDirectories(a.folder().resolve("notes")).resolve("todo.txt"), "stop politely");
        await("the files on the service", () -> world.serverTree(observer).keySet()
                .containsAll(List.of(FILE, "notes", "notes/todo.txt")), clientA);
        awaitIdle(a, clientA);
        assertThat(processes.status(a.state(), a.folder())).contains("state: idle", "uploads pending: 0 files");
        long versions = world.storedVersionCount(observer.workspaceId);
        Map<String, BlobStamp> blobs = storedChunks(null);
        Map<String, String> tree = SyncWorld.folderTree(a.folder());

        clientA.process.destroy();
        assertThat(clientA.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("stopped within 10 s").isTrue();
        assertThat(clientA.process.exitValue()).as(clientA.output()).isZero();
        assertThat(StatusReader.read(a.state()).state()).isEqualTo("stopped");

        Instant restart = Instant.now();
        Client restarted = sync(a);
        await("the restarted client's first round", () -> {
            StatusReport report = StatusReader.read(a.state());
            return report.state().equals("idle") && report.updatedAt().isAfter(restart);
        }, restarted);
        assertThat(world.storedVersionCount(observer.workspaceId)).isEqualTo(versions);
        assertThat(storedChunks(null)).isEqualTo(blobs);
        assertThat(SyncWorld.folderTree(a.folder())).isEqualTo(tree);
    }

    @Test
    void aClientWhoseDeviceIsUnregisteredStopsWithExitOneInsteadOfRunningOnIdle() throws Exception {
        Home a = home("proc-revoked");
        Client clientA = sync(a);
        awaitIdle(a, clientA);
        String deviceId = observer.sdk.listDevices().getDevicesList().stream()
                .filter(d -> d.getName().equals("proc-revoked")).findFirst().orElseThrow().getDeviceId();

        observer.sdk.unregisterDevice(org.syncservice.protocol.v1.UnregisterDeviceRequest.newBuilder()
                .setDeviceId(deviceId).build());

        assertThat(clientA.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("stopped by itself within 60 s").isTrue();
        assertThat(clientA.process.exitValue()).as(clientA.output()).isEqualTo(1);
        assertThat(clientA.output()).contains("the sync stopped");
    }

    /** A chunk's file in the S3 store: written again, it would get another file key or time. */
    private record BlobStamp(Object fileKey, FileTime modified) {
    }

    /** The stored chunks among {@code names} (every stored chunk when null), by name. */
    private static Map<String, BlobStamp> storedChunks(Set<String> names) throws IOException {
        Map<String, BlobStamp> stored = new HashMap<>();
        Path root = world.storageDirectory();
        if (!Files.isDirectory(root)) {
            return stored;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String name = p.getFileName().toString();
                if (names != null && !names.contains(name)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        stored.put(name, new BlobStamp(attributes.fileKey(), attributes.lastModifiedTime()));
                    }
                } catch (NoSuchFileException e) {
                    // A temporary file of the store, gone meanwhile.
                }
            }
        }
        return stored;
    }

    /**
     * The stored chunks once the store has finished what it received before the kill: a chunk whose
     * body arrived whole may be written just after the client died.
     */
    private static Map<String, BlobStamp> settledChunks(Set<String> names) throws Exception {
        Map<String, BlobStamp> last = storedChunks(names);
        for (int same = 0; same < 3; ) {
            Thread.sleep(200);
            Map<String, BlobStamp> now = storedChunks(names);
            same = now.equals(last) ? same + 1 : 0;
            last = now;
        }
        return last;
    }

    private static boolean partlyDownloaded(Home home) throws IOException {
        for (Path temporary : temporaryFiles(home)) {
            try {
                if (Files.size(temporary) > 0) {
                    return true;
                }
            } catch (NoSuchFileException e) {
                // Moved into place meanwhile.
            }
        }
        return false;
    }

    private static List<Path> temporaryFiles(Home home) throws IOException {
        try (Stream<Path> walk = Files.walk(home.folder())) {
            return walk.filter(p -> IgnoreRules.isTemporaryName(p.getFileName().toString())).toList();
        }
    }

    /** Writes {@code size} seeded random bytes beside the folders; returns the file. */
    private Path stage(long size, long seed) throws IOException {
        Path file = Files.createDirectories(dir.resolve("staging")).resolve(seed + ".bin");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                for (int i = 0; i < buffer.length; i += 8) {
                    long bits = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        buffer[i + j] = (byte) (bits >>> (8 * j));
                    }
                }
                int n = (int) Math.min(left, buffer.length);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** Moves a new random file into the folder at once (so the client never reads it half written); returns its checksum. */
    private String placeRandomFile(Home home, long size, long seed) throws IOException {
        Path staged = stage(size, seed);
        String checksum = SyncWorld.checksum(staged);
        Files.move(staged, home.file(), StandardCopyOption.ATOMIC_MOVE);
        return checksum;
    }

    private static void awaitFile(Home home, long size, Client client) throws Exception {
        await(home.name() + " to hold " + FILE + " of " + size + " bytes",
                () -> Files.isRegularFile(home.file()) && Files.size(home.file()) == size, client);
    }

    private static void awaitIdle(Home home, Client client) throws Exception {
        await(home.name() + " to be idle", () -> state(home).equals("idle"), client);
    }

    /** The state the client last recorded; "starting" until its state database is readable. */
    private static String state(Home home) {
        try {
            return StatusReader.read(home.state()).state();
        } catch (IOException e) {
            return "starting"; // not created yet, or its tables not yet
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition}; fails with the client's output when the client dies or time runs out. */
    private static void await(String what, Condition condition, Client client) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.holds()) {
            if (!client.process.isAlive()) {
                throw new AssertionError("waiting for " + what + ", " + client.name + " exited "
                        + client.process.exitValue() + "\n" + client.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + SETTLE + "\n" + client.output());
            }
            Thread.sleep(20);
        }
    }
}
