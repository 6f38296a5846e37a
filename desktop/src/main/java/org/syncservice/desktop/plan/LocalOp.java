package org.syncservice.desktop.plan;

import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.SyncedItem;

/**
 * What the planner asks to be done in the synced folder or the state database to bring the local
 * side to the remote one. Each carries what the planner saw, so the executor can check, right before
 * it acts, that the folder still looks that way (a local edit made meanwhile is never overwritten).
 */
public sealed interface LocalOp {

    /** Moves a local file or folder aside as a conflicted copy; it is committed as a new item later. */
    record MoveAside(long itemId, String path, String copyPath) implements LocalOp {
    }

    /** Applies a remote rename or move: the local item at {@code from} goes to {@code to}. */
    record MoveLocal(SyncedItem base, String from, String to, RemoteItem target) implements LocalOp {
    }

    /**
     * Moves a synced item out of the way, to {@code temporaryPath} beside it, so that a cycle of
     * remote renames (names swapped elsewhere) can be applied: the synced tree keeps the agreed
     * place, so the next round finds the item moved here and there and moves it to the service's.
     */
    record MakeWay(SyncedItem base, String path, String temporaryPath) implements LocalOp {
    }

    /** Applies a remote delete; {@code expected} is the file as the planner saw it. */
    record DeleteLocal(SyncedItem base, String path, LocalEntry expected) implements LocalOp {
    }

    /** Creates a folder the service has. */
    record MakeFolder(RemoteItem item, String path) implements LocalOp {
    }

    /** Writes a file's remote content at {@code path}, replacing {@code replacing} (null: nothing is there). */
    record Download(RemoteItem item, String path, LocalEntry replacing) implements LocalOp {
    }

    /** Records that the local entry already is the remote item (same content, or both folders). */
    record Adopt(RemoteItem item, LocalEntry entry) implements LocalOp {
    }

    /** The file was touched but its content is the agreed one: remember how it looks now. */
    record RefreshStat(SyncedItem base, LocalEntry entry) implements LocalOp {
    }

    /**
     * Forgets the agreed state of an item and its synced subtree: what is left locally is new,
     * and what the service has is new to this device.
     */
    record Forget(long itemId) implements LocalOp {
    }

    /** Forgets a remote tombstone that has nothing left to delete here. */
    record DropRemote(long itemId) implements LocalOp {
    }
}
