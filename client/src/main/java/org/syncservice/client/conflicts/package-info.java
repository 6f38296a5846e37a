/**
 * What a client does when both sides edited the same file: a {@link
 * org.syncservice.client.conflicts.ConflictResolver} looks at a {@link
 * org.syncservice.client.conflicts.Conflict} and answers a {@link
 * org.syncservice.client.conflicts.Resolution}; {@link
 * org.syncservice.client.conflicts.ConflictedCopyNames} chooses the name of the copy that keeps the
 * losing side.
 *
 * <p>The rule every resolution keeps: a conflict never loses data. Each side's bytes end up either
 * under the original name, under a conflicted copy's name, or (only where the service already holds
 * them) in the item's version history.
 *
 * <p>All types here are immutable and thread-safe; an application's own resolver must be too when
 * its client resolves conflicts from several threads.
 */
package org.syncservice.client.conflicts;
