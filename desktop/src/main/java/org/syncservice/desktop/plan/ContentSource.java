package org.syncservice.desktop.plan;

import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;

/**
 * Gives the planner a local file's content when it needs it: only for files whose size,
 * modification time or identity differ from the agreed state, and for files it has not seen. The
 * engine reads (and caches) them; tests give fixed answers.
 */
@FunctionalInterface
public interface ContentSource {

    /** The file's content, or null when it cannot be read now (it vanished or is being written). */
    FileContent contentOf(LocalEntry file);
}
