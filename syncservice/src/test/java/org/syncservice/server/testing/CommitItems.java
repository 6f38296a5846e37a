package org.syncservice.server.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/**
 * Builders of {@link CommitItem}s that read like the commit rules: {@code newFolder("t1", "Docs")},
 * {@code newFile("t2", "t1", "a.txt", 10)}, {@code changed(item, 20)}, {@code renamed(item, "b")}.
 * Items returned are complete, so a test changes only what its rule is about.
 */
public final class CommitItems {
    private static final long MODIFIED_AT_MS = 1_717_000_000_000L;

    private CommitItems() {
    }

    /** A new folder at the root. */
    public static CommitItem newFolder(String tempId, String name) {
        return CommitItem.newBuilder().setTempId(tempId).setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                .setName(name).setIsFolder(true).setModifiedAtMs(MODIFIED_AT_MS).build();
    }

    /** A new folder under a folder created earlier in the same request. */
    public static CommitItem newFolder(String tempId, String parentTempId, String name) {
        return newFolder(tempId, name).toBuilder().setParentTempId(parentTempId).build();
    }

    /** A new file at the root with {@code size} bytes of fresh content. */
    public static CommitItem newFile(String tempId, String name, long size) {
        return CommitItem.newBuilder().setTempId(tempId).setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                .setName(name).setIsFolder(false).setMimeType("text/plain").setModifiedAtMs(MODIFIED_AT_MS)
                .setSize(size).setChecksum(checksum(tempId + name + size + UUID.randomUUID()))
                .addChunks(chunk()).build();
    }

    /** A new file under a folder created earlier in the same request. */
    public static CommitItem newFile(String tempId, String parentTempId, String name, long size) {
        return newFile(tempId, name, size).toBuilder().setParentTempId(parentTempId).build();
    }

    /** The item placed under an existing folder. */
    public static CommitItem in(long parentId, CommitItem item) {
        return item.toBuilder().setParentId(parentId).build();
    }

    /** The next version of an item with the same metadata: complete, ready for one field to change. */
    public static CommitItem.Builder next(Item current, ItemStatus status) {
        return CommitItem.newBuilder().setItemId(current.getItemId()).setParentId(current.getParentId())
                .setVersion(current.getVersion() + 1).setStatus(status).setName(current.getName())
                .setMimeType(current.getMimeType()).setIsFolder(current.getIsFolder())
                .setChecksum(current.getChecksum()).setSize(current.getSize())
                .setModifiedAtMs(current.getModifiedAtMs()).addAllChunks(current.getChunksList());
    }

    /** New content of {@code size} bytes. */
    public static CommitItem changed(Item current, long size) {
        return next(current, ItemStatus.ITEM_STATUS_CHANGED).setSize(size)
                .setChecksum(checksum(current.getItemId() + ":" + size + ":" + UUID.randomUUID()))
                .clearChunks().addChunks(chunk()).build();
    }

    public static CommitItem renamed(Item current, String name) {
        return next(current, ItemStatus.ITEM_STATUS_RENAMED).setName(name).build();
    }

    public static CommitItem moved(Item current, long parentId) {
        return next(current, ItemStatus.ITEM_STATUS_MOVED).setParentId(parentId).build();
    }

    public static CommitItem deleted(Item current) {
        return next(current, ItemStatus.ITEM_STATUS_DELETED).clearChunks().build();
    }

    /** The item at another version, everything else kept. */
    public static CommitItem atVersion(CommitItem item, long version) {
        return item.toBuilder().setVersion(version).build();
    }

    /** A fresh, valid chunk name. */
    public static String chunk() {
        return "c_" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String checksum(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> chunks(Item item) {
        return item.getChunksList();
    }
}
