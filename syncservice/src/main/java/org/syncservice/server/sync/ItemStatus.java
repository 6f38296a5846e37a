package org.syncservice.server.sync;

/** What a version did to its item. */
public enum ItemStatus {
    NEW, CHANGED, RENAMED, MOVED, DELETED
}
