package org.syncservice.server.storage;

/**
 * What a back-end's storage itself enforces on an upload through a WRITE URL, against a holder
 * who does not follow the URL's headers: what get_server_info announces. Immutable.
 *
 * @param noOverwrite   a stored chunk is never replaced
 * @param contentSha256 a chunk named by a SHA-256 ({@link ContentAddress}) takes only bytes with that hash
 * @param declaredSize  a declared length is signed: other lengths are refused
 */
public record UploadChecks(boolean noOverwrite, boolean contentSha256, boolean declaredSize) {
    /** Nothing enforced (no WRITE URLs, or URLs that sign no conditions). */
    public static final UploadChecks NONE = new UploadChecks(false, false, false);
}
