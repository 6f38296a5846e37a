package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.SyncWorld.Device;
import org.syncservice.desktop.engine.DesktopClient;
import org.syncservice.desktop.engine.DesktopSettings;
import org.syncservice.desktop.engine.ProgressListener;
import org.syncservice.desktop.state.StatusReader;

/**
 * Benchmarks of the desktop client against the embedded service, each printing its figures with
 * the machine's own limits measured in the same run (docs/performance.md, "Desktop client").
 * Nothing here asserts a speed: the assertions only check that the work was done.
 *
 * <p>Skipped unless {@code -Ddesktop.bench=true}. Sizes (defaults in brackets):
 * {@code desktop.bench.files} [10000] and {@code desktop.bench.bytes} [1073741824] for the first
 * upload, {@code desktop.bench.samples} [60] edits for the latency, {@code desktop.bench.idleFiles}
 * [1000] and {@code desktop.bench.idleSeconds} [60] for the idle CPU, {@code desktop.bench.heapFiles}
 * [100000], {@code desktop.bench.heapXmx} [128m] and {@code desktop.bench.heapIdleSeconds} [30] for the
 * heap; {@code desktop.bench.seed} [1] for the generated trees. One benchmark alone:
 * {@code -Dtest='DesktopBench#firstUploadAndDownload'}.
 */
@EnabledIfSystemProperty(named = "desktop.bench", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopBench {
    /** Connections the client's chunk transfer uses (ChunkTransfer.Settings.defaults), and so the curl processes. */
    private static final int CONNECTIONS = 4;
    private static final String S3_IDENTITY = "local-identity";
    private static final String S3_CREDENTIAL = "local-credential";
    private static final String BUCKET = "syncservice";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration GENEROUS = Duration.ofMinutes(60);

    @TempDir
    static Path directory;
    static SyncWorld world;
    static long seed = Long.getLong("desktop.bench.seed", 1);

    @BeforeAll
    static void startService() throws Exception {
        world = SyncWorld.start(directory);
        System.out.printf("%n[desktop bench] load average at start: %s%n", loadAverage());
    }

    @AfterAll
    static void stopService() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Order(1)
    void firstUploadAndDownload() throws Exception {
        int files = Integer.getInteger("desktop.bench.files", 10_000);
        long bytes = Long.getLong("desktop.bench.bytes", 1L << 30);
        Path source = directory.resolve("tree");
        long[] sizes = TreeOfFiles.spreadSizes(files, bytes, new Random(seed));
        int folders = TreeOfFiles.write(source, sizes, new Random(seed + 1));
        long total = Arrays.stream(sizes).sum();
        report("tree", "%d files in %d folders, %s (largest %s)", files, folders, mb(total),
                mb(Arrays.stream(sizes).max().orElse(0)));

        long copyNanos = timed(() -> run(List.of("cp", "-r", source.toString(), directory.resolve("copy").toString())));
        report("cp -r", rates(files, total, copyNanos));

        CurlStore curl = new CurlStore(directory.resolve("curl"), world.s3Port(), CONNECTIONS);
        List<Path> paths = TreeOfFiles.files(source);
        long putNanos = timed(() -> curl.put(source, paths, "baseline/"));
        report("curl PUT x" + CONNECTIONS, rates(files, total, putNanos));
        long getNanos = timed(() -> curl.get(paths.stream().map(p -> source.relativize(p).toString()).toList(),
                "baseline/", directory.resolve("fetched")));
        report("curl GET x" + CONNECTIONS, rates(files, total, getNanos));

        String user = world.newUser();
        Device a = world.device(user, "a");
        run(List.of("cp", "-r", source + "/.", a.folder.toString()));
        Device b = world.device(user, "b");
        long uploadStart = System.nanoTime();
        a.start();
        awaitIdle(a, () -> true);
        long uploadNanos = System.nanoTime() - uploadStart;
        assertThat(world.serverTree(a)).hasSize(files + folders);
        report("client upload", rates(files, total, uploadNanos) + String.format(" = %.0f%% of curl PUT",
                100.0 * putNanos / uploadNanos));

        long downloadStart = System.nanoTime();
        b.start();
        awaitIdle(b, () -> TreeOfFiles.count(b.folder) == files);
        long downloadNanos = System.nanoTime() - downloadStart;
        report("client download", rates(files, total, downloadNanos) + String.format(" = %.0f%% of curl GET",
                100.0 * getNanos / downloadNanos));
        assertThat(TreeOfFiles.bytes(b.folder)).isEqualTo(total);
        report("load average", loadAverage());
        a.stop();
        b.stop();
    }

    @Test
    @Order(2)
    void editToAppearanceOnTheOtherClient() throws Exception {
        int samples = Integer.getInteger("desktop.bench.samples", 60);
        String user = world.newUser();
        Device a = world.device(user, "a");
        Device b = world.device(user, "b");
        TreeOfFiles.write(a.folder, TreeOfFiles.spreadSizes(100, 100 * 4096, new Random(seed)), new Random(seed));
        Path edited = a.path("notes/edited.txt");
        Files.createDirectories(edited.getParent());
        Files.writeString(edited, "start");
        DesktopClient clientA = startWithDefaultDebounce(a);
        DesktopClient clientB = startWithDefaultDebounce(b);
        try {
            Path seen = b.path("notes/edited.txt");
            awaitContent(seen, "start", GENEROUS);
            Random pauses = new Random(seed);
            long[] latencies = new long[samples];
            for (int i = 0; i < samples; i++) {
                String content = "edit " + i + " of the latency benchmark";
                Files.writeString(edited, content);
                long written = System.nanoTime();
                awaitContent(seen, content, Duration.ofMinutes(1));
                latencies[i] = System.nanoTime() - written;
                Thread.sleep(200 + pauses.nextInt(300));
            }
            Arrays.sort(latencies);
            report("edit to appearance", "%d samples, default debounce %d ms: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms",
                    samples, DesktopSettings.DEFAULT_DEBOUNCE.toMillis(), millis(percentile(latencies, 50)),
                    millis(percentile(latencies, 90)), millis(percentile(latencies, 99)),
                    millis(latencies[samples - 1]));
            report("load average", loadAverage());
        } finally {
            clientA.close();
            clientB.close();
        }
    }

    @Test
    @Order(3)
    void idleCpuOfAClientProcess() throws Exception {
        int files = Integer.getInteger("desktop.bench.idleFiles", 1_000);
        int seconds = Integer.getInteger("desktop.bench.idleSeconds", 60);
        String user = world.newUser();
        Path home = directory.resolve("idle");
        Path folder = home.resolve("folder");
        int folders = TreeOfFiles.write(folder, TreeOfFiles.spreadSizes(files, files * 2048L, new Random(seed)),
                new Random(seed));
        try (ClientProcess client = ClientProcess.start(home, folder, user, List.of())) {
            client.awaitFirstSync(files + folders, GENEROUS);
            Thread.sleep(5_000);
            Duration before = client.cpu();
            Thread.sleep(seconds * 1000L);
            Duration used = client.cpu().minus(before);
            report("idle CPU", "%d files, %d s idle after the first sync: %d ms of CPU = %.2f%% of one core",
                    files, seconds, used.toMillis(), 100.0 * used.toMillis() / (seconds * 1000.0));
            report("load average", loadAverage());
        }
    }

    @Test
    @Order(4)
    void heapOfAClientProcessWithAManyFileFolder() throws Exception {
        int files = Integer.getInteger("desktop.bench.heapFiles", 100_000);
        String xmx = System.getProperty("desktop.bench.heapXmx", "128m");
        int idleSeconds = Integer.getInteger("desktop.bench.heapIdleSeconds", 30);
        String user = world.newUser();
        Path home = directory.resolve("heap");
        Path folder = home.resolve("folder");
        int folders = TreeOfFiles.write(folder, TreeOfFiles.spreadSizes(files, files * 512L, new Random(seed)),
                new Random(seed));
        Path gcLog = home.resolve("gc.log");
        try (ClientProcess client = ClientProcess.start(home, folder, user,
                List.of("-Xmx" + xmx, "-Xlog:gc:file=" + gcLog))) {
            long start = System.nanoTime();
            try {
                client.awaitFirstSync(files + folders, GENEROUS);
            } finally {
                GcLog sofar = GcLog.read(gcLog);
                report("heap", "until the first sync ended: peak used before a collection %d MB, after collections "
                        + "at most %d MB; %d collections (%d full)", sofar.peakBeforeMb(), sofar.peakAfterMb(),
                        sofar.collections(), sofar.fullCollections());
            }
            long syncNanos = System.nanoTime() - start;
            report("many files", "%d files in %d folders uploaded by a client process at -Xmx%s in %.1f s (%.0f files/s)",
                    files, folders, xmx, syncNanos / 1e9, files / (syncNanos / 1e9));
            GcLog syncing = GcLog.read(gcLog);
            Thread.sleep(idleSeconds * 1000L);
            assertThat(client.alive()).as("the client process is still running").isTrue();
            GcLog all = GcLog.read(gcLog);
            report("heap", "peak used before a collection %d MB while syncing, %d MB over %d s idle after; "
                    + "after collections at most %d MB; heap committed at most %d MB; %d collections (%d full)",
                    syncing.peakBeforeMb(), all.peakBeforeMb(), idleSeconds, all.peakAfterMb(), all.committedMb(),
                    all.collections(), all.fullCollections());
            report("load average", loadAverage());
        }
    }

    private static DesktopClient startWithDefaultDebounce(Device device) {
        return DesktopClient.start(new DesktopSettings(device.folder, device.state, device.workspaceId, device.deviceId,
                device.name, world.options(), 1.0, DesktopSettings.DEFAULT_DEBOUNCE,
                DesktopSettings.DEFAULT_RESCAN_INTERVAL), device.sdk, ProgressListener.NONE);
    }

    private static void awaitIdle(Device device, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!(device.client().isIdle() && done.getAsBoolean())) {
            assertThat(System.nanoTime()).as("%s did not finish within %s", device.name, GENEROUS).isLessThan(deadline);
            assertThat(device.client().stoppedBecause()).isEmpty();
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Polls often: the latency is what is measured, so the poll's own period (5 ms) is its resolution. */
    private static void awaitContent(Path file, String content, Duration timeout) throws Exception {
        byte[] wanted = content.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Arrays.equals(Files.readAllBytes(file), wanted)) {
                    return;
                }
            } catch (IOException e) {
                // Not there yet.
            }
            assertThat(System.nanoTime()).as("%s did not show '%s' within %s", file, content, timeout)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            if (code != 0) {
                throw new IllegalStateException(command.get(0) + " exited with " + code + ": " + output);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static long timed(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static String rates(int files, long bytes, long nanos) {
        double seconds = nanos / 1e9;
        return String.format("%.1f s, %.0f files/s, %.1f MB/s", seconds, files / seconds, bytes / 1e6 / seconds);
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void report(String what, String format, Object... arguments) {
        String text = arguments.length == 0 ? format : String.format(format, arguments);
        System.out.printf("[desktop bench] %-20s %s%n", what, text);
    }

    /** Generated folder trees: sizes spread over a range, contents random so that nothing deduplicates. */
    static final class TreeOfFiles {
        private static final int FILES_PER_FOLDER = 100;

        private TreeOfFiles() {
        }

        /**
         * {@code count} sizes adding up to about {@code total}: an eighth of the bytes in a few large
         * files (one per 2,500), the rest spread log-uniformly over 1 KiB..1 MiB and scaled to fit.
         */
        static long[] spreadSizes(int count, long total, Random random) {
            int large = Math.min(count - 1, count / 2_500);
            double[] raw = new double[count - large];
            double sum = 0;
            for (int i = 0; i < raw.length; i++) {
                raw[i] = Math.exp(Math.log(1024) + random.nextDouble() * (Math.log(1 << 20) - Math.log(1024)));
                sum += raw[i];
            }
            long smallTotal = large == 0 ? total : total - total / 8;
            long[] sizes = new long[count];
            for (int i = 0; i < raw.length; i++) {
                sizes[i] = Math.max(1, Math.round(raw[i] * smallTotal / sum));
            }
            for (int i = raw.length; i < count; i++) {
                sizes[i] = total / 8 / large;
            }
            return sizes;
        }

        /** Writes files of these sizes under {@code root}, 100 to a folder; returns the number of folders. */
        static int write(Path root, long[] sizes, Random random) throws IOException {
            byte[] buffer = new byte[1 << 20];
            int folders = 0;
            for (int i = 0; i < sizes.length; i++) {
                Path folder = root.resolve(String.format("d%04d", i / FILES_PER_FOLDER));
                if (i % FILES_PER_FOLDER == 0) {
                    Files.createDirectories(folder);
                    folders++;
                }
                try (var out = Files.newOutputStream(folder.resolve(String.format("f%06d.bin", i)))) {
                    for (long left = sizes[i]; left > 0; ) {
                        int n = (int) Math.min(left, buffer.length);
                        random.nextBytes(buffer);
                        out.write(buffer, 0, n);
                        left -= n;
                    }
                }
            }
            return folders;
        }

        /** The files a client syncs, in path order: not its own (temporary downloads, the folder's marker). */
        static List<Path> files(Path root) throws IOException {
            org.syncservice.desktop.local.IgnoreRules ignore = org.syncservice.desktop.local.IgnoreRules.defaults();
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile)
                        .filter(p -> !ignore.ignores(root.relativize(p).toString())).sorted().toList();
            }
        }

        /** The files a client syncs: not its own (temporary downloads, the folder's marker). */
        static long count(Path root) {
            org.syncservice.desktop.local.IgnoreRules ignore = org.syncservice.desktop.local.IgnoreRules.defaults();
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile)
                        .filter(p -> !ignore.ignores(root.relativize(p).toString())).count();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static long bytes(Path root) throws IOException {
            long sum = 0;
            for (Path p : files(root)) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    /**
     * The embedded S3 store driven by curl: {@code connections} curl processes at once, each with a
     * config file listing its share of the transfers, so that one process reuses its connection
     * for all of them as the client's transfer threads do. Requests are signed with
     * {@code --aws-sigv4} and the embedded store's credentials.
     */
    static final class CurlStore {
        private final Path work;
        private final int port;
        private final int connections;

        CurlStore(Path work, int port, int connections) throws IOException {
            this.work = Files.createDirectories(work);
            this.port = port;
            this.connections = connections;
        }

        void put(Path root, List<Path> files, String prefix) throws Exception {
            List<StringBuilder> configs = configs();
            for (int i = 0; i < files.size(); i++) {
                configs.get(i % connections).append("upload-file = \"").append(files.get(i)).append("\"\n")
                        .append("url = \"").append(url(prefix + root.relativize(files.get(i)))).append("\"\n")
                        .append("output = \"/dev/null\"\n");
            }
            runAll("put", configs);
        }

        void get(List<String> keys, String prefix, Path into) throws Exception {
            List<StringBuilder> configs = configs();
            for (int i = 0; i < keys.size(); i++) {
                configs.get(i % connections).append("url = \"").append(url(prefix + keys.get(i))).append("\"\n")
                        .append("output = \"").append(into.resolve(keys.get(i))).append("\"\n");
            }
            runAll("get", configs);
        }

        private List<StringBuilder> configs() {
            List<StringBuilder> configs = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                configs.add(new StringBuilder());
            }
            return configs;
        }

        private String url(String key) {
            return "http://127.0.0.1:" + port + "/" + BUCKET + "/" + key;
        }

        private void runAll(String name, List<StringBuilder> configs) throws Exception {
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                Path config = work.resolve(name + "-" + i + ".cfg");
                Files.writeString(config, configs.get(i));
                processes.add(new ProcessBuilder("curl", "--silent", "--show-error", "--fail", "--create-dirs",
                        "--aws-sigv4", "aws:amz:us-east-1:s3",
                        // S3Proxy requires the payload hash header; curl signs what it is given.
                        "--header", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "--user", S3_IDENTITY + ":" + S3_CREDENTIAL,
                        "--config", config.toString())
                        .redirectErrorStream(true).redirectOutput(work.resolve(name + "-" + i + ".out").toFile())
                        .start());
            }
            for (int i = 0; i < processes.size(); i++) {
                int code = processes.get(i).waitFor();
                if (code != 0) {
                    throw new IllegalStateException("curl " + name + " " + i + " exited with " + code + ": "
                            + Files.readString(work.resolve(name + "-" + i + ".out")));
                }
            }
        }
    }

    /** The command-line client ({@code DesktopMain sync}) in a process of its own, on this JVM's class path. */
    static final class ClientProcess implements AutoCloseable {
        private final Process process;
        private final Path state;
        private final Path folder;
        private final String email;
        private final Path output;

        private ClientProcess(Process process, Path state, Path folder, String email) {
            this.process = process;
            this.output = folder.resolveSibling("client.out");
            this.state = state;
            this.folder = folder;
            this.email = email;
        }

        static ClientProcess start(Path home, Path folder, String email, List<String> jvmOptions) throws IOException {
            Path state = home.resolve("state");
            String classPath = Optional.ofNullable(System.getProperty("surefire.test.class.path"))
                    .orElse(System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classPath, "org.syncservice.desktop.cli.DesktopMain", "sync",
                    "--server", "amqp://127.0.0.1:" + world.amqpPort(), "--email", email, "--state", state.toString(),
                    "--device-name", "bench-process", "--allow-mass-delete", folder.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(home.resolve("client.out").toFile());
            builder.environment().put("SYNCSERVICE_PASSWORD", SyncWorld.PASSWORD);
            return new ClientProcess(builder.start(), state, folder, email);
        }

        /** Waits until the client says it is idle and the service holds {@code entries} live items. */
        void awaitFirstSync(int entries, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            Device probe = null;
            while (true) {
                assertThat(alive()).as("the client process is running (see %s)", output).isTrue();
                // An engine thread that died leaves the process running but never idle again.
                assertThat(Files.readString(output)).as("the client's output").doesNotContain("OutOfMemoryError");
                assertThat(System.nanoTime()).as("the first sync within %s", timeout).isLessThan(deadline);
                if (status().equals("idle")) {
                    if (probe == null) {
                        probe = world.device(email, "probe");
                    }
                    if (world.serverTree(probe).size() == entries) {
                        return;
                    }
                }
                Thread.sleep(2_000);
            }
        }

        private String status() {
            try {
                return StatusReader.read(state).state();
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        Duration cpu() {
            return process.toHandle().info().totalCpuDuration().orElseThrow();
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** The figures of a JVM's {@code -Xlog:gc} file: heap used before and after each collection. */
    record GcLog(long peakBeforeMb, long peakAfterMb, long committedMb, int collections, int fullCollections) {
        private static final Pattern PAUSE = Pattern.compile("Pause (\\w+).* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

        static GcLog read(Path file) throws IOException {
            long before = 0;
            long after = 0;
            long committed = 0;
            int collections = 0;
            int full = 0;
            for (String line : Files.readAllLines(file)) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    collections++;
                    full += m.group(1).equals("Full") ? 1 : 0;
                    before = Math.max(before, Long.parseLong(m.group(2)));
                    after = Math.max(after, Long.parseLong(m.group(3)));
                    committed = Math.max(committed, Long.parseLong(m.group(4)));
                }
            }
            return new GcLog(before, after, committed, collections, full);
        }
    }
}
