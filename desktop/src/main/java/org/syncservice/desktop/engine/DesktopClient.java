package org.syncservice.desktop.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.conflicts.ConflictResolver;
import org.syncservice.client.conflicts.KeepBothResolver;
import org.syncservice.desktop.content.ChunkTransfer;
import org.syncservice.desktop.content.ContentReader;
import org.syncservice.desktop.local.FolderMarker;
import org.syncservice.desktop.local.FolderScanner;
import org.syncservice.desktop.local.FolderWatcher;
import org.syncservice.desktop.local.IgnoreRules;
import org.syncservice.desktop.local.WatchTiming;
import org.syncservice.desktop.plan.Planner;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.protocol.v1.GetServerInfoResponse;

/**
 * Keeps one folder in sync with one workspace: the composition root of the desktop client. It
 * opens the state database, starts the engine's thread, the notification listener (which feeds
 * the remote tree) and the folder watcher (which wakes the engine), and stops them in reverse.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} may be called from any thread; close is
 * idempotent and waits for the operation at hand to finish.
 */
public final class DesktopClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopClient.class);
    static final String MISSING_CHUNKS_OPERATION = "get_missing_chunks";
    static final String MARKER_PLACED = "marker_placed";
    static final String SELECTION = "selection";
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final StateDatabase state;
    private final SyncLoop loop;
    private final Thread thread;
    private final ChunkTransfer transfer;
    private final RemoteFeed feed;
    private NotificationListener listener;
    private FolderWatcher watcher;
    private boolean closed;

    private DesktopClient(StateDatabase state, SyncLoop loop, ChunkTransfer transfer, RemoteFeed feed) {
        this.state = state;
        this.loop = loop;
        this.transfer = transfer;
        this.feed = feed;
        this.thread = new Thread(loop, "syncservice-desktop-engine");
    }

    /**
     * Starts keeping {@code settings.folder()} in sync, with the default conflict policy (keep both).
     *
     * @param settings the folder, the state directory, the workspace and how cautious to be
     * @param client a logged-in client of this device; it stays the caller's to close
     * @param progress told about long transfers
     * @return the running client; close it to stop
     * @throws UncheckedIOException when the state database or the folder cannot be opened
     * @throws org.syncservice.client.SyncServiceException when the service cannot be reached
     */
    public static DesktopClient start(DesktopSettings settings, SyncClient client, ProgressListener progress) {
        return start(settings, client, progress, new KeepBothResolver());
    }

    /** As {@link #start(DesktopSettings, SyncClient, ProgressListener)}, with an application's conflict policy. */
    public static DesktopClient start(DesktopSettings settings, SyncClient client, ProgressListener progress,
                                      ConflictResolver resolver) {
        Path folder = settings.folder().toAbsolutePath().normalize();
        StateDatabase state;
        try {
            Files.createDirectories(folder);
            state = StateDatabase.open(settings.stateDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DesktopClient started = null;
        try {
            checkWorkspace(state, settings.workspaceId(), folder);
            removeLeftoverDownloads(folder);
            GetServerInfoResponse info = client.getServerInfo();
            if (!settings.onlyFolders().isEmpty() && !info.getSubtreeSync()) {
                throw new IllegalStateException("--only: the service does not offer folder-level sync"
                        + " (subtree_sync); sync the whole workspace");
            }
            FolderSelection selection = FolderSelection.resolve(client, settings.workspaceId(), settings.onlyFolders());
            checkSelection(state, selection);
            boolean missingOffered = info.getOperationsList().contains(MISSING_CHUNKS_OPERATION);
            IgnoreRules ignore = IgnoreRules.defaults();
            // Once the folder has been synced, a folder without its marker is a disk not mounted,
            // never "everything deleted".
            java.util.concurrent.atomic.AtomicBoolean marked =
                    new java.util.concurrent.atomic.AtomicBoolean(state.meta(MARKER_PLACED).isPresent());
            FolderScanner scanner = new FolderScanner(folder, ignore, marked::get);
            ContentReader reader = new ContentReader();
            ChunkTransfer.Settings transferSettings =
                    ChunkTransfer.Settings.defaults(Math.max(1, info.getLimits().getMaxChunksPerItem()));
            ServiceStorageUrls urls = new ServiceStorageUrls(client, settings.workspaceId(), missingOffered,
                    transferSettings.maxChunksPerRequest());
            ChunkTransfer transfer = new ChunkTransfer(urls, reader, transferSettings);
            ContentCache contents = new ContentCache(folder, reader);
            Problems problems = new Problems(state);
            LocalExecutor local = new LocalExecutor(folder, scanner, ignore, transfer, state, problems);
            CommitExecutor commits = new CommitExecutor(folder, settings.workspaceId(), client, transfer, state,
                    problems, Math.max(1, info.getLimits().getMaxItemsPerCommit()), transferSettings.parallelism());
            Planner planner = new Planner(new ResolverPolicy(resolver, settings.deviceName()),
                    settings.massDeletionShare());
            SyncLoop[] loopRef = new SyncLoop[1];
            WorkspaceRole role = WorkspaceRole.read(client, settings.workspaceId());
            RemoteFeed feed = new RemoteFeed(settings.workspaceId(), state, () -> loopRef[0].wake(),
                    why -> loopRef[0].fail(why), role, selection);
            Runnable agreed = () -> {
                if (!marked.get() && placeMarker(folder, state)) {
                    marked.set(true);
                }
            };
            SyncLoop loop = new SyncLoop(scanner, state, planner, contents, local, commits, problems, feed, progress,
                    settings.rescanInterval(), agreed, urls, new ParallelTransfers(transferSettings.parallelism()), role,
                    selection);
            loopRef[0] = loop;
            started = new DesktopClient(state, loop, transfer, feed);
            SyncPosition from = state.position(settings.workspaceId()).orElse(SyncPosition.START);
            // The service may be briefly unable to set up the device's queue (its broker is busy or
            // restarting): a desktop client waits for it rather than give up at start.
            started.listener = Retries.call(() -> NotificationListener.start(client, settings.broker(),
                    settings.deviceId(), Map.of(settings.workspaceId(), from), feed));
            NotificationListener listener = started.listener;
            feed.positionFrom(() -> listener.position(settings.workspaceId()));
            // The engine after the listener: its first round then sees the service's tree.
            started.thread.start();
            started.watcher = new FolderWatcher(folder, ignore, WatchTiming.defaults()
                    .withQuietPeriod(settings.debounce()).withRescanInterval(settings.rescanInterval()),
                    (paths, overflow) -> loop.wake());
            started.watcher.start();
            loop.wake();
            LOG.info("keeping {} in sync with {} of workspace {}", folder, selection, settings.workspaceId());
            return started;
        } catch (IOException e) {
            closeQuietly(started, state);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(started, state);
            throw e;
        }
    }

    private static void closeQuietly(DesktopClient started, StateDatabase state) {
        if (started != null) {
            started.close();
        } else {
            state.close();
        }
    }

    /** A state directory belongs to one folder and one workspace; mixing them would delete files. */
    private static void checkWorkspace(StateDatabase state, String workspaceId, Path folder) {
        Optional<String> known = state.meta("workspace_id");
        if (known.isPresent() && !known.get().equals(workspaceId)) {
            throw new IllegalStateException("the state directory belongs to workspace " + known.get()
                    + ", not " + workspaceId + "; use another --state directory");
        }
        Optional<String> knownFolder = state.meta("folder");
        if (knownFolder.isPresent() && !knownFolder.get().equals(folder.toString())) {
            throw new IllegalStateException("the state directory belongs to the folder " + knownFolder.get()
                    + ", not " + folder + "; use another --state directory");
        }
        state.putMeta("workspace_id", workspaceId);
        state.putMeta("folder", folder.toString());
    }

    /**
     * A stored position and agreed state belong to the selection they were listed with: the
     * service refuses the cursor with another one, and files of folders no longer selected must
     * not look deleted here. Another selection starts over, keeping the files.
     */
    private static void checkSelection(StateDatabase state, FolderSelection selection) {
        String stored = state.meta(SELECTION).orElse("");
        if (!stored.equals(selection.fingerprint())) {
            LOG.info("the folders to sync changed (now {}); listing them from scratch", selection);
            state.startOver();
            state.putMeta(SELECTION, selection.fingerprint());
        }
    }

    /** Marks the folder as synced, once it holds what the service has (the loop found nothing to do). */
    private static boolean placeMarker(Path folder, StateDatabase state) {
        if (!state.anySynced()) {
            return false;
        }
        try {
            FolderMarker.place(folder);
            state.putMeta(MARKER_PLACED, "1");
            return true;
        } catch (IOException e) {
            LOG.warn("cannot place the folder's marker {}: {}", FolderMarker.NAME, e.toString());
            return false;
        }
    }

    /** Temporary files of downloads a kill interrupted: never complete, never synced. */
    private static void removeLeftoverDownloads(Path folder) throws IOException {
        List<Path> leftovers;
        try (Stream<Path> walk = Files.walk(folder)) {
            leftovers = walk.filter(p -> IgnoreRules.isTemporaryName(p.getFileName().toString()))
                    .filter(Files::isRegularFile).toList();
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
    }

    /** Whether the engine found nothing to do in its last round and nothing woke it since. */
    public boolean isIdle() {
        return loop.isIdle();
    }

    /** Why the client stopped by itself (the device was revoked, the workspace is gone), if it did. */
    public Optional<String> stoppedBecause() {
        return loop.fatal();
    }

    /**
     * Waits until the engine's thread ends: empty when it was closed, else why it stopped by itself
     * (the device was revoked, the workspace is gone, the engine failed).
     */
    public Optional<String> awaitEnd() throws InterruptedException {
        thread.join();
        return closed() ? Optional.empty() : Optional.of(loop.fatal().orElse("the sync engine ended"));
    }

    private synchronized boolean closed() {
        return closed;
    }

    /** Asks the engine to look at the folder and the service now. */
    public void syncNow() {
        loop.wake();
    }

    /** Finishes the operation at hand, parks the rest for the next start, and closes everything but the SDK client. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watcher != null) {
            watcher.close();
        }
        loop.close();
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listener != null) {
            listener.close();
        }
        feed.savePosition();
        transfer.close();
        state.close();
    }
}
