package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.SyncWorld.Device;

/**
 * {@link BackupRestoreEndToEndTest} with the changes after the backup chosen by a seed: files and
 * folders created, edited, renamed, moved and deleted by either device, then the restore with the
 * devices stopped or left running through it, and the devices back in an order the seed picks.
 * Whatever the seed, no device loses a file: the tree after the restore holds every path the
 * devices held before it, with its content, both folders equal the service's tree, and anything
 * more is content the backup had (a file deleted after the backup comes back).
 *
 * <p>One seed per build, from a random first one; {@code -Dbackup.seed=N} replays one,
 * {@code -Dbackup.seeds=K} runs K from {@code -Dbackup.first=N}. A failure names its seed and the
 * operations it did.
 */
class BackupRestoreConvergenceTest {
    private static final Duration CONVERGE = Duration.ofSeconds(120);

    @TempDir
    Path directory;

    @Test
    void randomChangesAfterTheBackupAreNeverLost() throws Exception {
        List<Long> seeds = new ArrayList<>();
        String replay = System.getProperty("backup.seed");
        if (replay != null) {
            seeds.add(Long.parseLong(replay));
        } else {
            long first = Long.getLong("backup.first", new Random().nextInt(1_000_000));
            for (int i = 0; i < Integer.getInteger("backup.seeds", 1); i++) {
                seeds.add(first + i);
            }
        }
        System.out.println("BackupRestoreConvergenceTest seeds " + seeds + " (replay one with -Dbackup.seed=N)");
        List<String> failed = new ArrayList<>();
        for (long seed : seeds) {
            List<String> log = new ArrayList<>();
            try {
                run(seed, log);
            } catch (Exception | AssertionError e) {
                failed.add("seed " + seed + " (replay with -Dbackup.seed=" + seed + "): " + e.getMessage()
                        + "\noperations: " + log);
            }
        }
        assertThat(failed).as("seeds run: %s", seeds).isEmpty();
    }

    private void run(long seed, List<String> log) throws Exception {
        Random random = new Random(seed);
        Path home = Files.createDirectories(directory.resolve("seed-" + seed));
        RestorableService service = RestorableService.start(home.resolve("service"));
        try (SyncWorld world = SyncWorld.on(home, service)) {
            String user = world.newUser();
            Device laptop = world.device(user, "laptop").start();
            Device phone = world.device(user, "phone").start();
            List<Device> both = List.of(laptop, phone);
            int files = 2 + random.nextInt(5);
            for (int i = 0; i < files; i++) {
                String folder = random.nextInt(3) == 0 ? "" : "f" + random.nextInt(2) + "/";
                SyncWorld.write(laptop.path(folder + "before-" + i + ".txt"), "before " + i + " of " + seed);
            }
            Map<String, String> backedUp = world.awaitConverged(CONVERGE, both);
            log.add("backed up " + backedUp.keySet());
            Path backup = service.backUp("seed-" + seed);

            int operations = 3 + random.nextInt(6);
            for (int i = 0; i < operations; i++) {
                Device by = random.nextInt(3) == 0 ? phone : laptop;
                log.add(by.name + " " + change(by, random, seed + "-" + i));
                if (random.nextBoolean()) {
                    world.awaitConverged(CONVERGE, both);
                }
            }
            Map<String, String> held = world.awaitConverged(CONVERGE, both);
            log.add("held " + held.keySet());

            boolean runThrough = random.nextBoolean();
            if (!runThrough) {
                laptop.stop();
                phone.stop();
            }
            log.add(runThrough ? "restore with the devices running" : "restore with the devices stopped");
            service.restore(backup);
            assertThat(service.missingChunks()).isEmpty();
            if (!runThrough) {
                Device firstBack = random.nextBoolean() ? laptop : phone;
                log.add(firstBack.name + " back first");
                firstBack.start();
                if (random.nextBoolean()) {
                    world.awaitConverged(CONVERGE, List.of(firstBack));
                }
                laptop.start();
                phone.start();
            }
            Map<String, String> after = world.awaitConverged(CONVERGE, both);

            for (Map.Entry<String, String> file : held.entrySet()) {
                assertThat(after).as("%s as the devices held it", file.getKey())
                        .containsEntry(file.getKey(), file.getValue());
            }
            Set<String> backedUpContent = new HashSet<>(backedUp.values());
            for (Map.Entry<String, String> more : after.entrySet()) {
                if (!held.containsKey(more.getKey())) {
                    assertThat(backedUpContent).as("%s is back from the backup", more.getKey())
                            .contains(more.getValue());
                }
            }
            assertThat(service.missingChunks()).isEmpty();
            laptop.stop();
            phone.stop();
        } finally {
            service.close();
        }
    }

    /** One change to the device's folder, chosen by {@code random}; says what it did. */
    private static String change(Device device, Random random, String tag) throws Exception {
        List<Path> filesHere = new ArrayList<>();
        List<Path> folders = new ArrayList<>(List.of(device.folder));
        try (Stream<Path> walk = Files.walk(device.folder)) {
            walk.filter(p -> !p.equals(device.folder))
                    .filter(p -> !p.getFileName().toString().startsWith(".syncservice"))
                    .forEach(p -> (Files.isDirectory(p) ? folders : filesHere).add(p));
        }
        Path folder = folders.get(random.nextInt(folders.size()));
        int kind = random.nextInt(7);
        if (filesHere.isEmpty() || kind == 0) {
            Path file = folder.resolve("new-" + tag + ".txt");
            SyncWorld.write(file, "created " + tag);
            return "created " + device.folder.relativize(file);
        }
        Path file = filesHere.get(random.nextInt(filesHere.size()));
        String what = device.folder.relativize(file).toString();
        switch (kind) {
            case 1 -> {
                Path made = device.folder.resolve("dir-" + tag).resolve("inside.txt");
                SyncWorld.write(made, "in a new folder " + tag);
                return "created " + device.folder.relativize(made);
            }
            case 2 -> {
                SyncWorld.write(file, "edited " + tag);
                return "edited " + what;
            }
            case 3 -> {
                Files.move(file, file.resolveSibling("renamed-" + tag + ".txt"));
                return "renamed " + what;
            }
            case 4 -> {
                Path to = folder.resolve("moved-" + tag + ".txt");
                Files.move(file, to);
                return "moved " + what + " to " + device.folder.relativize(to);
            }
            case 5 -> {
                Files.delete(file);
                return "deleted " + what;
            }
            default -> {
                if (folder.equals(device.folder)) {
                    Files.delete(file);
                    return "deleted " + what;
                }
                Path renamed = folder.resolveSibling("folder-" + tag);
                Files.move(folder, renamed);
                return "renamed folder " + device.folder.relativize(folder);
            }
        }
    }
}
