package org.syncservice.server.sync;

/**
 * A workspace's live items as of one change sequence number, summed up so a device can compare
 * its copy: how many there are and their {@link LiveItemDigest}. Immutable.
 *
 * @param changeSeq the change sequence number the snapshot was taken at
 * @param liveItemCount the number of live items
 * @param digest the lower-case hex digest of the live items
 */
public record WorkspaceDigest(long changeSeq, long liveItemCount, String digest) {
}
