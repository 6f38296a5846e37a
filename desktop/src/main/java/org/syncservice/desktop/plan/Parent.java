package org.syncservice.desktop.plan;

/**
 * The folder a committed item goes into: an existing item (0 for the root), or a folder created by
 * an earlier item of the same commit, named by its temporary id.
 *
 * @param itemId the existing folder's id, or 0 for the root or when {@code tempId} is set
 * @param tempId the new folder's temporary id, or null
 */
public record Parent(long itemId, String tempId) {

    public static final Parent ROOT = new Parent(0, null);

    public static Parent existing(long itemId) {
        return new Parent(itemId, null);
    }

    public static Parent created(String tempId) {
        return new Parent(0, tempId);
    }

    public boolean isNew() {
        return tempId != null;
    }
}
