package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random file operations on a watched folder: afterwards the scan lists exactly what the
 * operations left, and the watcher reported every path they touched, or a folder above it in a
 * report that came after the operation (a report of a folder covers everything in it), or a folder
 * above it was moved away or deleted later, or it asked for a full scan. Replay a failure with {@code -Dlocal.seed=SEED}.
 */
class FolderRandomizedTest {

    private static final int OPERATIONS = 150;

    @TempDir
    Path root;

    /** The folder as the operations left it: path to whether it is a folder. */
    private final TreeMap<String, Boolean> model = new TreeMap<>();
    private final RecordingListener listener = new RecordingListener();
    /** Each path an operation touched, with the operation's number. */
    private final List<Touch> touched = new ArrayList<>();
    /** Each path an operation moved away or deleted, with the operation's number. */
    private final List<Touch> vanished = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int names;

    @Test
    void theScanMatchesTheOperationsAndTheWatcherReportedEveryTouchedPath() throws IOException {
        long seed = Long.getLong("local.seed", System.nanoTime());
        Random random = new Random(seed);
        String replay = "seed " + seed + " (replay with -Dlocal.seed=" + seed + ")";
        WatchTiming timing = WatchTiming.defaults().withQuietPeriod(Duration.ofMillis(100))
                .withRescanInterval(Duration.ofHours(1));
        try (FolderWatcher watcher = new FolderWatcher(root, IgnoreRules.defaults(), timing, listener)) {
            watcher.start();
            for (int i = 0; i < OPERATIONS; i++) {
                operate(random);
                if (random.nextInt(10) == 0) {
                    catchUp();
                }
            }
            catchUp();
        }

        List<String> scanned = new FolderScanner(root, IgnoreRules.defaults()).scan().stream()
                .map(LocalEntry::path).toList();
        assertThat(scanned).as(replay + "\n" + String.join("\n", log))
                .containsExactlyInAnyOrderElementsOf(model.keySet());
        assertThat(scanned).as("parents first, " + replay).isSortedAccordingTo(
                Comparator.comparingInt(RelativePaths::depth));

        boolean overflow = listener.reports().stream().anyMatch(RecordingListener.Report::overflow);
        if (!overflow) {
            List<RecordingListener.Report> reports = listener.reports();
            Set<String> reported = new TreeSet<>();
            reports.forEach(report -> reported.addAll(report.paths()));
            assertThat(touched).as(replay + "\n" + String.join("\n", log))
                    .allSatisfy(touch -> assertThat(reported.contains(touch.path())
                            || folderAboveReportedAfter(touch, reports) || vanishedLater(touch))
                            .as("reported: " + touch).isTrue());
        }
    }

    private static boolean folderAboveReportedAfter(Touch touch, List<RecordingListener.Report> reports) {
        List<RecordingListener.Report> later = reports.subList(touch.reportsBefore(), reports.size());
        for (String path = touch.path(); path.contains("/"); ) {
            String folder = path.substring(0, path.lastIndexOf('/'));
            if (later.stream().anyMatch(report -> report.paths().contains(folder))) {
                return true;
            }
            path = folder;
        }
        return false;
    }

    /**
     * Waits until the watcher has reported everything done so far: events come in order, so a
     * report of a new file names it together with or after all that came before. From then on, a
     * report of a folder made earlier no longer covers what is done in it.
     */
    private void catchUp() throws IOException {
        String marker = child(null, "caughtup");
        act("create " + marker, marker);
        Files.writeString(root.resolve(marker), "x");
        model.put(marker, false);
        listener.awaitPath(marker);
    }

    /** Whether the path, or a folder above it, was moved away or deleted after it was touched. */
    private boolean vanishedLater(Touch touch) {
        return vanished.stream().anyMatch(gone -> gone.operation() > touch.operation()
                && (touch.path().equals(gone.path()) || touch.path().startsWith(gone.path() + "/")));
    }

    private void operate(Random random) throws IOException {
        List<String> files = model.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        List<String> folders = model.entrySet().stream().filter(e -> e.getValue()).map(Map.Entry::getKey).toList();
        int choice = random.nextInt(10);
        if (choice < 3 || model.isEmpty()) {
            String path = child(pick(random, folders), "f");
            act("create " + path, path);
            Files.writeString(root.resolve(path), "new " + path);
            model.put(path, false);
        } else if (choice < 5) {
            String path = child(pick(random, folders), "d");
            act("mkdir " + path, path);
            Files.createDirectory(root.resolve(path));
            model.put(path, true);
        } else if (choice < 7 && !files.isEmpty()) {
            String path = files.get(random.nextInt(files.size()));
            act("append " + path, path);
            Files.writeString(root.resolve(path), "more", StandardOpenOption.APPEND);
        } else if (choice < 9) {
            String from = new ArrayList<>(model.keySet()).get(random.nextInt(model.size()));
            List<String> targets = folders.stream().filter(f -> !f.equals(from) && !f.startsWith(from + "/")).toList();
            String to = child(pick(random, targets), model.get(from) ? "d" : "f");
            act("move " + from + " " + to, from, to);
            vanished.add(touch(from));
            Files.move(root.resolve(from), root.resolve(to));
            for (String moved : List.copyOf(subtree(from).keySet())) {
                model.put(to + moved.substring(from.length()), model.remove(moved));
            }
        } else {
            String path = new ArrayList<>(model.keySet()).get(random.nextInt(model.size()));
            act("delete " + path, path);
            vanished.add(touch(path));
            try (Stream<Path> walk = Files.walk(root.resolve(path))) {
                for (Path doomed : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(doomed);
                }
            }
            subtree(path).clear();
        }
    }

    /**
     * The path and everything below it, as a live view of the model: the names made here hold only
     * letters and digits, so nothing but {@code /} sorts between a name and the name followed by
     * {@code 0}.
     */
    private SortedMap<String, Boolean> subtree(String path) {
        return model.subMap(path, true, path + "0", false);
    }

    private void act(String what, String... paths) {
        log.add(what);
        for (String path : paths) {
            touched.add(touch(path));
        }
    }

    /**
     * @param operation the operation's number
     * @param reportsBefore how many reports the watcher had made when the operation was done
     */
    private record Touch(String path, int operation, int reportsBefore) {
    }

    private Touch touch(String path) {
        return new Touch(path, log.size(), listener.reports().size());
    }

    private String child(String folder, String kind) {
        String name = kind + (names++);
        return folder == null ? name : folder + "/" + name;
    }

    /** A folder from the list, or the top of the synced folder (null) now and then. */
    private static String pick(Random random, List<String> folders) {
        int index = random.nextInt(folders.size() + 1);
        return index == folders.size() ? null : folders.get(index);
    }
}
