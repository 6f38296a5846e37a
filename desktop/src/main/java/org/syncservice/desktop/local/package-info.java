/**
 * What is in the synced folder, and when it changes.
 *
 * <ul>
 *   <li>{@link org.syncservice.desktop.local.FolderScanner} lists the folder (a full walk, parents
 *       first) and re-checks single paths; the list is the "local tree" of the three-way merge.
 *   <li>{@link org.syncservice.desktop.local.FolderWatcher} only says that something changed, and
 *       where; the engine then scans. Watch events are hints, never facts: they are lost on
 *       overflow, arrive for files that are gone again, and are not sent at all by some network
 *       file systems. So every report leads to a scan of the named paths (or of everything), and a
 *       periodic full scan catches what no event announced.
 *   <li>{@link org.syncservice.desktop.local.IgnoreRules} decides which names are never synced; the
 *       scanner and the watcher apply the same rules, and the engine names its temporary downloads
 *       with {@link org.syncservice.desktop.local.IgnoreRules#temporaryNameFor} so both skip them.
 *   <li>The synced folder missing is never an empty folder: a
 *       {@link org.syncservice.desktop.local.SyncRootMissingException}, and with a
 *       {@link org.syncservice.desktop.local.FolderMarker} an empty mount point is missing too.
 * </ul>
 *
 * <p>Renames are recognised by the engine from the file key ({@code dev}/{@code ino} on Linux and
 * macOS), which a scan reports for every entry and which survives a rename or move inside one file
 * system. Windows has no file key in {@code BasicFileAttributes}; there the engine has to fall back
 * to matching size, time and content.
 *
 * <p>Platforms: on Linux the JDK's watch service is inotify, one watch per folder, limited per user
 * by {@code fs.inotify.max_user_watches}; the watcher warns and falls back to frequent rescans when
 * the limit is reached. On macOS the JDK polls (every few seconds) instead of using FSEvents, so
 * changes are seen later but still seen. On Windows one recursive watch would do; the per-folder
 * registration used here works too.
 */
package org.syncservice.desktop.local;
