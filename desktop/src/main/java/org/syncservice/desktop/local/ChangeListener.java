package org.syncservice.desktop.local;

import java.util.Set;

/** Told by a {@link FolderWatcher} that something in the synced folder changed. */
@FunctionalInterface
public interface ChangeListener {

    /**
     * Called on the watcher's own thread, one call at a time, after the folder has been quiet for
     * the quiet period (or the maximum delay passed). It should hand the work to the engine and
     * return: while it runs, the watcher collects no events (the operating system queues them, up
     * to a limit past which it reports an overflow).
     *
     * @param changedPaths the paths that changed, relative to the synced folder with {@code /}
     *     between names: created, modified, deleted, or one end of a rename; a new folder comes with
     *     everything found in it. A path stands for itself and everything below it: the engine scans
     *     each one as a subtree (a folder moved in or out is reported as that folder). A path may no
     *     longer exist, or be the old name of a folder moved while its events were on their way;
     *     scanning it then finds nothing, which is right. Ignored names are left out. Unmodifiable.
     * @param overflow whether events may have been lost, or a periodic safety scan is due: the
     *     engine must scan the whole folder, not only {@code changedPaths}
     */
    void onChange(Set<String> changedPaths, boolean overflow);
}
