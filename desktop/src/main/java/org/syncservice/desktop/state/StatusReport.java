package org.syncservice.desktop.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a synced folder's client is doing, as it last recorded in its state database: read by the
 * {@code status} command, possibly from another process. Immutable.
 *
 * @param state one word: {@code syncing}, {@code idle}, {@code stopped} or {@code blocked}
 * @param blockedReason why the client stopped pushing changes (the mass-deletion guard), if it did
 * @param uploads files waiting to be uploaded or committed
 * @param downloads files waiting to be downloaded
 * @param conflicts conflicted copies made, newest first
 * @param problems paths skipped and why (names refused, unreadable files)
 * @param lastError the last error, if any
 * @param updatedAt when the client last recorded its status
 */
public record StatusReport(String state, Optional<String> blockedReason, List<Transfer> uploads,
                           List<Transfer> downloads, List<Conflict> conflicts, List<Problem> problems,
                           Optional<String> lastError, Instant updatedAt) {

    public StatusReport {
        uploads = List.copyOf(uploads);
        downloads = List.copyOf(downloads);
        conflicts = List.copyOf(conflicts);
        problems = List.copyOf(problems);
    }

    /** A file waiting to move, with its size. */
    public record Transfer(String path, long size) {
    }

    /** A conflicted copy the client made. */
    public record Conflict(String originalPath, String copyPath, Instant at) {
    }

    /** A path the client skips, and why. */
    public record Problem(String path, String reason, Instant since) {
    }
}
