package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.SyncWorld.Device;
import org.syncservice.desktop.local.IgnoreRules;

/**
 * Random operations on the folders of several devices of one user (create, edit, rename, move and
 * delete of files and folders, offline periods, restarts), interleaved with the clients' syncing,
 * then quiet: every folder must equal every other and the service's tree, and every content a
 * device wrote and did not itself overwrite or delete must be in the tree (perhaps as a conflicted
 * copy) or in the version history.
 *
 * <p>Every {@value #KILLABLE_EVERY}th seed adds a device whose client runs as a process of its own,
 * which the operations kill with SIGKILL (and start again) instead of stopping it politely.
 *
 * <p>Each run is reproducible from its seed: {@code -Dconvergence.seed=N} replays one (the
 * operations and their timing; how the clients' threads interleave with them varies from run to
 * run), {@code -Dconvergence.seeds=K} runs K seeds from {@code -Dconvergence.first} (default: a
 * random first seed, printed). A failure names its seed.
 */
@ExtendWith(SharedSyncWorld.class)
class ConvergenceTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);
    static final int DEVICES = 3;
    static final int OPERATIONS = 14;
    static final int KILLABLE_EVERY = 3;
    /**
     * Seeds the build runs, from a random first one, so every build tries a hundred new ones (about
     * 5 s each); longer runs use -Dconvergence.seeds. 1,000 in a row passed first (docs/client.md).
     */
    static final int SEEDS_IN_THE_BUILD = 100;

    @TempDir
    static Path directory;
    static SyncWorld world;

    @BeforeAll
    static void shareTheService(SyncWorld shared) {
        world = shared;
    }

    @Test
    void randomOperationsOnSeveralDevicesConvergeAndLoseNoContent() throws Exception {
        String one = System.getProperty("convergence.seed");
        if (one != null) {
            runSeed(Long.parseLong(one));
            return;
        }
        int seeds = Integer.getInteger("convergence.seeds", SEEDS_IN_THE_BUILD);
        long first = Long.getLong("convergence.first", new Random().nextInt(1_000_000));
        System.out.println("ConvergenceTest: seeds " + first + " to " + (first + seeds - 1));
        // Every seed runs, so one run of many finds every failing seed, not just the first.
        List<Long> failed = new ArrayList<>();
        AssertionError firstFailure = null;
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                runSeed(seed);
            } catch (AssertionError e) {
                System.out.println(e.getMessage());
                failed.add(seed);
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (firstFailure != null) {
            throw new AssertionError("seeds " + failed + " of " + first + " to " + (first + seeds - 1)
                    + " failed; the first: " + firstFailure.getMessage(), firstFailure);
        }
    }

    private void runSeed(long seed) throws Exception {
        Run run = new Run(seed);
        try {
            run.run();
        } catch (Throwable e) {
            throw new AssertionError("seed " + seed + " failed (replay: -Dconvergence.seed=" + seed + "): " + e
                    + "\noperations:\n" + String.join("\n", run.journal), e);
        }
    }

    /** One seed's run. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final List<Device> devices = new ArrayList<>();
        /** The device run as a process of its own, killed now and then; null in most seeds. */
        private Killable killable;
        /** Contents written and not overwritten or deleted by the same device since. */
        private final Set<String> mustSurvive = new HashSet<>();
        private int writes;
        /** What the run did, in order, for a failure's message. */
        final List<String> journal = new ArrayList<>();

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void run() throws Exception {
            String user = world.newUser();
            for (int i = 0; i < DEVICES; i++) {
                devices.add(world.device(user, "device" + i).start());
            }
            ClientProcesses processes = null;
            if (seed % KILLABLE_EVERY == 0) {
                processes = new ClientProcesses(Files.createDirectories(directory.resolve("logs-" + seed)));
                killable = new Killable(processes, user, directory.resolve("killable-" + seed));
                killable.start();
            }
            try {
                for (int i = 0; i < OPERATIONS; i++) {
                    int target = random.nextInt(killable == null ? DEVICES : DEVICES + 1);
                    if (target == DEVICES) {
                        operate(killable);
                    } else {
                        operate(devices.get(target));
                    }
                    Thread.sleep(random.nextInt(4) == 0 ? random.nextInt(600) : random.nextInt(60));
                }
                for (Device d : devices) {
                    d.start();
                }
                List<Path> others = new ArrayList<>();
                if (killable != null) {
                    killable.start();
                    others.add(killable.folder);
                }
                Map<String, String> tree = world.awaitConverged(CONVERGE, devices, others);
                Set<String> kept = new HashSet<>(tree.values());
                kept.addAll(world.storedChecksums(devices.get(0).workspaceId));
                assertThat(kept).as("contents written on the devices").containsAll(mustSurvive);
            } catch (AssertionError e) {
                throw killable == null ? e : new AssertionError(e.getMessage() + "\n" + killable.output(), e);
            } finally {
                for (Device d : devices) {
                    d.close();
                }
                if (processes != null) {
                    processes.close();
                }
            }
        }

        /** The process device's turn: the same folder operations, but a kill -9 instead of a stop. */
        private void operate(Killable k) throws IOException, InterruptedException {
            int kind = random.nextInt(100);
            if (kind < 70) {
                operateOn("killable", k.folder);
            } else if (k.running()) {
                k.kill();
                boolean again = random.nextBoolean();
                if (again) {
                    k.start();
                }
                note("killable", again ? "kill -9, start" : "kill -9");
            } else {
                k.start();
                note("killable", "start");
            }
        }

        private void operate(Device d) throws IOException {
            int kind = random.nextInt(100);
            if (kind < 80) {
                operateOn(d.name, d.folder);
            } else if (kind < 92) {
                if (d.running()) {
                    d.stop();
                    note(d.name, "stop");
                } else {
                    d.start();
                    note(d.name, "start");
                }
            } else {
                d.stop();
                d.start();
                note(d.name, "restart");
            }
        }

        private void note(String who, String what) {
            journal.add(java.time.LocalTime.now() + " " + who + ": " + what);
        }

        private void operateOn(String who, Path root) throws IOException {
            List<Path> files = new ArrayList<>();
            List<Path> folders = new ArrayList<>();
            listInto(root, files, folders);
            int kind = random.nextInt(80);
            try {
                if (kind < 25 || files.isEmpty() && kind < 60) {
                    Path parent = pick(folders, root);
                    Path file = parent.resolve(name() + ".txt");
                    note(who, "write " + root.relativize(file));
                    write(file);
                } else if (kind < 40) {
                    Path file = pick(files, null);
                    note(who, "write " + root.relativize(file));
                    write(file);
                } else if (kind < 48) {
                    Path folder = pick(folders, root).resolve("dir" + name());
                    note(who, "mkdir " + root.relativize(folder));
                    Files.createDirectories(folder);
                } else if (kind < 58) {
                    Path from = pickAny(files, folders);
                    Path to = from.resolveSibling(name() + (Files.isDirectory(from) ? "" : ".txt"));
                    note(who, "rename " + root.relativize(from) + " -> " + root.relativize(to));
                    Files.move(from, to);
                } else if (kind < 68) {
                    Path from = pickAny(files, folders);
                    Path into = pick(folders, root);
                    if (!into.startsWith(from)) {
                        note(who, "move " + root.relativize(from) + " -> " + root.relativize(into.resolve(from.getFileName())));
                        Files.move(from, into.resolve(from.getFileName()));
                    }
                } else {
                    Path gone = pickAny(files, folders);
                    note(who, "delete " + root.relativize(gone));
                    delete(gone);
                }
            } catch (java.nio.file.FileSystemException | IllegalStateException e) {
                // Nothing to pick, or the sync engine moved something under our feet, or the name exists: a normal race.
                note(who, "  (did not happen: " + e + ")");
            }
        }

        private void write(Path file) throws IOException {
            if (Files.isRegularFile(file)) {
                forget(file);
            }
            byte[] bytes = ("seed " + seed + " write " + (++writes) + " " + "x".repeat(random.nextInt(3000)))
                    .getBytes(StandardCharsets.UTF_8);
            Files.write(file, bytes);
            mustSurvive.add(SyncWorld.checksum(bytes));
        }

        private void delete(Path path) throws IOException {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        if (Files.isRegularFile(p)) {
                            forget(p);
                        }
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                forget(path);
                Files.deleteIfExists(path);
            }
        }

        /** The device's own overwrite or delete: what was in the file may go. */
        private void forget(Path file) {
            try {
                mustSurvive.remove(SyncWorld.checksum(file));
            } catch (IOException e) {
                // vanished meanwhile
            }
        }

        private String name() {
            return Character.toString('a' + random.nextInt(6));
        }

        private Path pick(List<Path> paths, Path fallback) {
            if (paths.isEmpty() || (fallback != null && random.nextInt(3) == 0)) {
                return fallback;
            }
            return paths.get(random.nextInt(paths.size()));
        }

        private Path pickAny(List<Path> files, List<Path> folders) {
            List<Path> all = new ArrayList<>(files);
            all.addAll(folders);
            if (all.isEmpty()) {
                throw new IllegalStateException("nothing to pick");
            }
            return all.get(random.nextInt(all.size()));
        }

        /** A client run by the command line in a process of its own. */
        private static final class Killable {
            private final ClientProcesses processes;
            private final String user;
            final Path folder;
            private final Path state;
            private ClientProcesses.Client client;

            Killable(ClientProcesses processes, String user, Path home) throws IOException {
                this.processes = processes;
                this.user = user;
                this.folder = Files.createDirectories(home.resolve("folder"));
                this.state = home.resolve("state");
            }

            boolean running() {
                return client != null && client.process.isAlive();
            }

            void start() throws IOException {
                if (!running()) {
                    client = processes.sync(world, user, "killable", state, folder);
                }
            }

            void kill() throws InterruptedException {
                if (client != null) {
                    client.kill();
                }
            }

            String output() {
                return client == null ? "" : client.output();
            }
        }

        private static void listInto(Path root, List<Path> files, List<Path> folders) throws IOException {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted().toList()) {
                    if (p.equals(root) || IgnoreRules.defaults().ignores(root.relativize(p).toString())) {
                        continue; // the client's own files, which a user leaves alone
                    }
                    (Files.isDirectory(p) ? folders : files).add(p);
                }
            } catch (java.io.UncheckedIOException e) {
                // a file vanished during the walk
            }
        }
    }
}
