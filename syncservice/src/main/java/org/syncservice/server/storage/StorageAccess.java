package org.syncservice.server.storage;

/** What a signed URL lets its holder do with one chunk. */
public enum StorageAccess {
    /** Download: an HTTP GET. */
    READ("GET"),
    /** Upload (or overwrite): an HTTP PUT. */
    WRITE("PUT");

    private final String method;

    StorageAccess(String method) {
        this.method = method;
    }

    /** The HTTP method a URL for this access is signed for. */
    public String method() {
        return method;
    }
}
