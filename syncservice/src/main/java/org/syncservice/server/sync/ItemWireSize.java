package org.syncservice.server.sync;

import java.nio.charset.StandardCharsets;

/**
 * An upper bound of the bytes an item takes in a getChanges answer, from its fields: each field's
 * tag and length prefix, strings in UTF-8, ids and numbers at their widest. Computed here, in the
 * sync layer, so a page can stop before it outgrows its byte budget without building the wire
 * message twice. Stateless.
 */
final class ItemWireSize {
    /** Tag plus the widest varint: an int64 field at its largest. */
    private static final int NUMBER = 1 + 10;
    /** Tag, length and the 36 characters of a UUID's text. */
    private static final int UUID_TEXT = 2 + 36;
    /** item_id, parent_id, version, size, modified_at_ms, change_seq, committed_at_ms; is_folder; status. */
    private static final int FIXED = 7 * NUMBER + 2 + 2 + 2 * UUID_TEXT;
    /** The item's own tag and length prefix within the answer. */
    private static final int FRAME = 1 + 5;

    private ItemWireSize() {
    }

    static long of(ItemVersion item) {
        long bytes = FRAME + FIXED + text(item.name()) + text(item.mimeType()) + text(item.checksum());
        for (String chunk : item.chunks()) {
            bytes += text(chunk);
        }
        return bytes;
    }

    private static long text(String value) {
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        return 1 + varintLength(length) + length;
    }

    private static int varintLength(int value) {
        int length = 1;
        while ((value >>>= 7) != 0) {
            length++;
        }
        return length;
    }
}
