package org.syncservice.desktop.local;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the synced folder and every folder in it, and tells a {@link ChangeListener} what changed
 * once a burst of changes is over. It only signals; the engine scans.
 *
 * <p>Every folder is registered with the operating system's watch service (inotify on Linux), new
 * folders as they appear; a new folder is walked right after it is registered, so files created in
 * it before that are reported too. Lost events (an overflow), a folder that cannot be registered, or
 * the synced folder itself disappearing are reported as {@code overflow = true}: scan everything.
 * So is the periodic safety-net rescan. While some folder is not watched (most often because the
 * inotify watch limit, {@code fs.inotify.max_user_watches}, is reached), the watcher says so once in
 * a warning, rescans at least every {@value #DEGRADED_RESCAN_MINUTES} minute(s) and tries to register
 * again each time.
 *
 * <p>An idle watcher sleeps in the watch service's blocking wait: it does no work between events
 * except the periodic rescan signal.
 *
 * <p>Lifecycle: construct, {@link #start()} once, {@link #close()}. Thread-safe: {@code start} and
 * {@code close} may be called from any thread; the listener is called on the watcher's own thread.
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    static final long DEGRADED_RESCAN_MINUTES = 1;
    /** Past this many distinct paths in one burst, the report becomes an overflow. */
    private static final int MAX_PATHS_PER_REPORT = 10_000;
    private static final String ROOT = "";

    private final Path root;
    private final IgnoreRules rules;
    private final WatchTiming timing;
    private final ChangeListener listener;
    private final Registrar registrar;
    private final Debouncer debouncer;
    private final CountDownLatch closing = new CountDownLatch(1);

    // Touched by start() before the thread starts, then by the watcher's thread alone.
    private final Map<WatchKey, String> folderOfKey = new HashMap<>();
    private final NavigableMap<String, WatchKey> keyOfFolder = new TreeMap<>();
    private boolean registrationFailed;
    private boolean warnedDegraded;

    private Path start;
    private WatchService watchService;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile boolean watchingEverything;
    /** How often the watcher's thread woke up; written by that thread alone, read by tests. */
    private volatile long wakeUps;

    /**
     * @param root the synced folder
     * @param rules names not reported (and folders not watched)
     * @param timing how events are gathered and how often a full scan is asked for
     * @param listener told of changes, on the watcher's thread
     */
    public FolderWatcher(Path root, IgnoreRules rules, WatchTiming timing, ChangeListener listener) {
        this(root, rules, timing, listener, (service, folder) -> folder.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY));
    }

    FolderWatcher(Path root, IgnoreRules rules, WatchTiming timing, ChangeListener listener, Registrar registrar) {
        this.root = Objects.requireNonNull(root, "root");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.debouncer = new Debouncer(timing.quietPeriod().toNanos(), timing.maxDelay().toNanos(), MAX_PATHS_PER_REPORT);
    }

    /**
     * Registers every folder and starts the watcher's thread: changes made after this returns are
     * reported. Folders that cannot be registered do not fail the start; they make the first report
     * an overflow and the watcher rescans periodically, as described above.
     *
     * @throws SyncRootMissingException if the synced folder is missing or not a folder
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    public synchronized void start() throws IOException {
        if (thread != null || closed) {
            throw new IllegalStateException("a folder watcher starts once");
        }
        if (!Files.isDirectory(root)) {
            throw new SyncRootMissingException(root, Files.exists(root) ? "is not a folder" : "does not exist");
        }
        start = root.toRealPath();
        try {
            watchService = start.getFileSystem().newWatchService();
        } catch (IOException e) {
            // inotify instances are limited too (fs.inotify.max_user_instances): rescans still work.
            log.warn("cannot watch {} for changes ({}); it is scanned every {} minute(s) instead",
                    root, e.getMessage(), DEGRADED_RESCAN_MINUTES);
            warnedDegraded = true;
            registrationFailed = true;
        }
        long now = System.nanoTime();
        if (watchService == null) {
            debouncer.overflowed(now);
        }
        if (watchService != null) {
            registerTree(start, false, now);
        }
        watchingEverything = !registrationFailed;
        log.info("watching {} for changes: {} folders, quiet period {}, at most {} late, full scan every {}",
                root, keyOfFolder.size(), timing.quietPeriod(), timing.maxDelay(), timing.rescanInterval());
        thread = new Thread(this::run, "folder-watcher " + start.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether every folder is being watched. When false, changes in some folders are seen only by
     * the periodic rescan (or, if the watcher stopped on an unexpected error, not at all until the
     * engine scans); {@code status} should say so.
     */
    public boolean watchingEverything() {
        return watchingEverything;
    }

    /**
     * Stops the watcher and waits for its thread to end (including a listener call in progress,
     * unless called from the listener itself). No report starts after this returns. Idempotent.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = thread;
        }
        closing.countDown();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                log.warn("closing the watch service of {} failed: {}", root, e.toString());
            }
        }
        if (running != null && running != Thread.currentThread()) {
            boolean interrupted = false;
            while (running.isAlive()) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How often the watcher's thread has woken up so far; for tests. */
    long wakeUps() {
        return wakeUps;
    }

    /** Whether the watcher's thread is alive; for tests. */
    boolean running() {
        Thread running = thread;
        return running != null && running.isAlive();
    }

    private void run() {
        long nextRescan = System.nanoTime() + currentRescanNanos();
        try {
            while (!closed) {
                long now = System.nanoTime();
                long wait = nextRescan - now;
                if (debouncer.pending()) {
                    wait = Math.min(wait, debouncer.nanosUntilDue(now));
                }
                WatchKey key = awaitKey(wait);
                wakeUps++;
                while (key != null) {
                    handle(key, System.nanoTime());
                    key = watchService.poll();
                }
                now = System.nanoTime();
                if (now - nextRescan >= 0) {
                    retryRegistration(now);
                    debouncer.overflowed(now);
                    report();
                    nextRescan = now + currentRescanNanos();
                } else if (debouncer.pending() && debouncer.nanosUntilDue(now) <= 0) {
                    report();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: nothing more to report
        } catch (RuntimeException | Error e) {
            watchingEverything = false;
            log.error("the folder watcher of {} stopped; changes are no longer reported", root, e);
            throw e;
        }
    }

    /** Blocks until a watch key is signalled or {@code nanos} pass; with no watch service, just waits. */
    private WatchKey awaitKey(long nanos) throws InterruptedException {
        if (watchService == null) {
            closing.await(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
            return null;
        }
        return nanos <= 0 ? watchService.poll() : watchService.poll(nanos, TimeUnit.NANOSECONDS);
    }

    private long currentRescanNanos() {
        Duration interval = timing.rescanInterval();
        if (registrationFailed) {
            Duration degraded = Duration.ofMinutes(DEGRADED_RESCAN_MINUTES);
            interval = interval.compareTo(degraded) < 0 ? interval : degraded;
        }
        return interval.toNanos();
    }

    private void handle(WatchKey key, long now) {
        String folder = folderOfKey.get(key);
        if (folder == null) {
            key.cancel(); // a folder that was moved away or replaced since its events were queued
            return;
        }
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                debouncer.overflowed(now);
                continue;
            }
            String name = event.context().toString();
            String path = folder.isEmpty() ? name : folder + "/" + name;
            if (rules.ignoresAnyOf(path)) {
                continue;
            }
            debouncer.changed(path, now);
            if (event.kind() == ENTRY_DELETE) {
                // Gone or moved away: a watch kept on a moved folder would report under its old path.
                forgetFolders(path);
            } else if (event.kind() == ENTRY_CREATE) {
                Path created = start.resolve(folder).resolve(name);
                if (Files.isDirectory(created, LinkOption.NOFOLLOW_LINKS)) {
                    registerTree(created, true, now);
                }
            }
        }
        if (!key.reset()) {
            String gone = folderOfKey.remove(key);
            if (gone != null && keyOfFolder.get(gone) == key) {
                keyOfFolder.remove(gone);
            }
            if (ROOT.equals(gone)) {
                log.warn("the synced folder {} is gone; asking for a full scan", root);
                debouncer.overflowed(now);
            }
        }
    }

    /** Stops watching the folder at this path and every folder below it. */
    private void forgetFolders(String path) {
        var below = keyOfFolder.subMap(path + "/", true, path + "0", false); // '0' follows '/'
        for (WatchKey key : below.values()) {
            folderOfKey.remove(key);
            key.cancel();
        }
        below.clear();
        WatchKey own = keyOfFolder.remove(path);
        if (own != null) {
            folderOfKey.remove(own);
            own.cancel();
        }
    }

    /**
     * Registers the folder and every folder below it that is not ignored.
     *
     * @param report whether to report everything found: for a folder that appeared, whose content
     *     may have been created before its watch
     */
    private void registerTree(Path top, boolean report, long now) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String path = RelativePaths.relative(start, dir);
                    if (!path.isEmpty() && rules.ignoresAnyOf(path)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!register(dir, path, now)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (report && !path.isEmpty()) {
                        debouncer.changed(path, now);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String path = RelativePaths.relative(start, file);
                    if (report && !rules.ignores(path)) {
                        debouncer.changed(path, now);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) {
                    if (!(failure instanceof NoSuchFileException)) {
                        // Unreadable: it cannot be watched, and the scanner reports it.
                        registrationFailed(RelativePaths.relative(start, file), failure, now);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            registrationFailed(RelativePaths.relative(start, top), e, now);
        }
    }

    /** Registers one folder; false if it cannot be watched. */
    private boolean register(Path dir, String path, long now) {
        WatchKey key;
        try {
            key = registrar.register(watchService, dir);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false; // gone or replaced already; its parent's events report that
        } catch (IOException e) {
            registrationFailed(path, e, now);
            return false;
        }
        // inotify hands back the same key for a folder registered again under a new path (moved).
        String previous = folderOfKey.put(key, path);
        if (previous != null && !previous.equals(path) && keyOfFolder.get(previous) == key) {
            keyOfFolder.remove(previous);
        }
        keyOfFolder.put(path, key);
        return true;
    }

    private void registrationFailed(String path, IOException failure, long now) {
        registrationFailed = true;
        watchingEverything = false;
        debouncer.overflowed(now);
        if (!warnedDegraded) {
            warnedDegraded = true;
            log.warn("cannot watch '{}' in {} for changes ({}){}; the folder is scanned every {} minute(s) until "
                            + "every folder is watched", path, root, failure.toString(), InotifyLimit.hint(failure),
                    DEGRADED_RESCAN_MINUTES);
        } else {
            log.debug("cannot watch '{}' in {}: {}", path, root, failure.toString());
        }
    }

    /** At a periodic rescan: registers the folders it could not before, and the root if it is back. */
    private void retryRegistration(long now) {
        if (watchService == null || !(registrationFailed || !keyOfFolder.containsKey(ROOT))) {
            return;
        }
        if (!Files.isDirectory(start)) {
            return; // still gone: the engine's scan reports that
        }
        registrationFailed = false;
        registerTree(start, false, now);
        if (!registrationFailed) {
            watchingEverything = true;
            warnedDegraded = false;
            log.info("every folder in {} is watched for changes again", root);
        }
    }

    private void report() {
        Debouncer.Batch batch = debouncer.drain();
        if (closed) {
            return;
        }
        try {
            listener.onChange(batch.paths(), batch.overflow());
        } catch (RuntimeException e) {
            log.warn("the change listener of {} failed", root, e);
        }
    }

    /** Registers one folder with a watch service; replaced in tests to simulate failures. */
    @FunctionalInterface
    interface Registrar {
        WatchKey register(WatchService service, Path folder) throws IOException;
    }
}
