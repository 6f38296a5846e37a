package org.syncservice.desktop.engine;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.desktop.content.ChunkTransfer;
import org.syncservice.desktop.content.TransferProgress;
import org.syncservice.desktop.local.FolderScanner;
import org.syncservice.desktop.local.IgnoreRules;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.plan.LocalOp;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.SyncedItem;

/**
 * Carries out the planner's local operations in the synced folder and records each in the state
 * database once done. Before it replaces, moves or deletes anything it checks that the path still
 * looks as the planner saw it; when it does not (the user is editing), it leaves it for the next
 * round. Downloads go to a temporary file beside the target and are moved into place atomically.
 * Used from the engine thread only.
 */
final class LocalExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

    private final Path root;
    private final FolderScanner scanner;
    private final IgnoreRules ignore;
    private final ChunkTransfer transfer;
    private final StateDatabase state;
    private final Problems problems;

    LocalExecutor(Path root, FolderScanner scanner, IgnoreRules ignore, ChunkTransfer transfer, StateDatabase state,
                  Problems problems) {
        this.root = root;
        this.scanner = scanner;
        this.ignore = ignore;
        this.transfer = transfer;
        this.state = state;
        this.problems = problems;
    }

    /** Runs one operation; false when it was left for a later round. */
    boolean run(LocalOp op, TransferProgress progress) throws IOException {
        if (op instanceof LocalOp.MoveAside a) {
            return moveAside(a);
        } else if (op instanceof LocalOp.MoveLocal m) {
            return moveLocal(m);
        } else if (op instanceof LocalOp.MakeWay w) {
            return makeWay(w);
        } else if (op instanceof LocalOp.DeleteLocal d) {
            return delete(d);
        } else if (op instanceof LocalOp.MakeFolder f) {
            return makeFolder(f);
        } else if (op instanceof LocalOp.Download d) {
            return download(d, progress);
        } else if (op instanceof LocalOp.Adopt a) {
            state.putSynced(RemoteItems.agreed(a.item(), a.entry()));
        } else if (op instanceof LocalOp.RefreshStat r) {
            state.lookSynced(r.base().itemId(), r.entry().fileKey(), r.entry().size(), r.entry().modifiedMs());
        } else if (op instanceof LocalOp.Forget f) {
            state.forgetSyncedSubtree(f.itemId());
        } else if (op instanceof LocalOp.DropRemote d) {
            state.forgetRemote(List.of(d.itemId()));
        }
        return true;
    }

    private boolean moveAside(LocalOp.MoveAside a) throws IOException {
        Path from = resolve(a.path());
        Path to = resolve(a.copyPath());
        if (!Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.exists(to)) {
            return false;
        }
        // The synced item first: from now on no local file is it (the copy keeps the file key).
        if (a.itemId() != 0) {
            state.lookSynced(a.itemId(), null, -1, -1);
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        state.recordConflict(a.path(), a.copyPath());
        LOG.info("conflict: kept the local version of {} as {}", a.path(), a.copyPath());
        return true;
    }

    private boolean moveLocal(LocalOp.MoveLocal m) throws IOException {
        if (!m.from().equals(m.to())) {
            Path to = resolve(m.to());
            if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(to.getParent())) {
                return false;
            }
            try {
                Files.move(resolve(m.from()), to, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                return false;
            }
        }
        state.placeSynced(m.base().itemId(), m.target().parentId(), m.target().name(), m.base().version());
        return true;
    }

    private boolean makeWay(LocalOp.MakeWay w) throws IOException {
        Path to = resolve(w.temporaryPath());
        if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.move(resolve(w.path()), to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            return false;
        }
        return true;
    }

    private boolean delete(LocalOp.DeleteLocal d) throws IOException {
        Path path = resolve(d.path());
        SyncedItem base = d.base();
        if (base.folder()) {
            removeIgnored(path);
            try {
                Files.deleteIfExists(path);
            } catch (DirectoryNotEmptyException e) {
                // Something new or edited is still in it: it stays, and comes back as new.
                state.forgetSyncedSubtree(base.itemId());
                return true;
            }
        } else {
            Optional<LocalEntry> now = scanner.stat(d.path());
            if (now.isPresent() && !sameLook(now.get(), d.expected())) {
                return false; // edited meanwhile: the next round keeps the edit
            }
            Files.deleteIfExists(path);
        }
        state.inTransaction(() -> {
            state.forgetSyncedSubtree(base.itemId());
            state.forgetRemote(List.of(base.itemId()));
        });
        return true;
    }

    private void removeIgnored(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        List<Path> junk = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (ignore.ignores(root.relativize(entry).toString()) && Files.isRegularFile(entry)) {
                    junk.add(entry);
                }
            }
        }
        for (Path p : junk) {
            Files.deleteIfExists(p);
        }
    }

    private boolean makeFolder(LocalOp.MakeFolder f) throws IOException {
        Path path = resolve(f.path());
        if (!Files.isDirectory(path.getParent())) {
            return false;
        }
        try {
            Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        } catch (IOException e) {
            problems.localNameRefused(f.path(), f.item(), e);
            return false;
        }
        Optional<LocalEntry> now = scanner.stat(f.path());
        if (now.isEmpty()) {
            return false;
        }
        state.putSynced(RemoteItems.agreed(f.item(), now.get()));
        return true;
    }

    private boolean download(LocalOp.Download d, TransferProgress progress) throws IOException {
        RemoteItem item = d.item();
        Path target = resolve(d.path());
        if (!Files.isDirectory(target.getParent())) {
            return false;
        }
        String temporaryName = IgnoreRules.temporaryNameFor(target.getFileName().toString(), item.itemId());
        Path temporary = target.resolveSibling(temporaryName);
        Optional<LocalEntry> written;
        try {
            transfer.download(item.checksum(), item.size(), item.chunks(), temporary, progress);
            Files.setLastModifiedTime(temporary, FileTime.fromMillis(item.modifiedMs()));
            written = scanner.stat(d.path().substring(0, d.path().lastIndexOf('/') + 1) + temporaryName);
            // The last look, right before the move: a file edited or created meanwhile is never
            // overwritten (an edit in the moment between the two is the one left to chance).
            Optional<LocalEntry> now = scanner.stat(d.path());
            boolean unchanged = d.replacing() == null ? now.isEmpty()
                    : now.isPresent() && sameLook(now.get(), d.replacing());
            if (!unchanged) {
                return false;
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move a download into place atomically in " + target.getParent(), e);
            }
        } catch (java.nio.file.FileSystemException e) {
            if (e.getMessage() != null && e.getMessage().contains("File name too long")) {
                problems.localNameRefused(d.path(), item, e);
                return false;
            }
            throw e;
        } finally {
            Files.deleteIfExists(temporary);
        }
        Optional<LocalEntry> placed = scanner.stat(d.path());
        if (placed.isEmpty() || written.isEmpty() || !sameLook(placed.get(), written.get())) {
            // Written to or replaced since the move (the user saving, say): what is there is not
            // this download, and recording it as the agreed version would hide the edit for good.
            return false;
        }
        state.putSynced(RemoteItems.agreed(item, placed.get()));
        return true;
    }

    private static boolean sameLook(LocalEntry now, LocalEntry expected) {
        return now.folder() == expected.folder() && now.size() == expected.size()
                && now.modifiedMs() == expected.modifiedMs()
                && (now.fileKey() == null || expected.fileKey() == null || now.fileKey().equals(expected.fileKey()));
    }

    private Path resolve(String relative) {
        return root.resolve(relative);
    }
}
