package org.syncservice.desktop.plan;

import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.SyncedItem;

/**
 * A change of the synced folder the planner asks to commit, in the order the commit request must
 * carry it (see {@link Plan#commits()}).
 */
public sealed interface CommitOp {

    /** The local path the operation is about. */
    String path();

    /** A new file or folder. {@code content} is null for folders. */
    record New(String tempId, String path, Parent parent, LocalEntry entry, FileContent content) implements CommitOp {
    }

    /** New content of a file. */
    record Change(SyncedItem base, String path, long version, LocalEntry entry, FileContent content)
            implements CommitOp {
    }

    /** A rename or a move. */
    record Move(SyncedItem base, String path, long version, Parent parent, String name, LocalEntry entry)
            implements CommitOp {
    }

    /** A delete (of a folder: with its subtree). {@code files} counts the synced files it removes. */
    record Delete(SyncedItem base, String path, long version, int files) implements CommitOp {
    }
}
