package org.syncservice.bench;

import java.util.concurrent.ThreadLocalRandom;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ItemStatus;

/** Commit items as a desktop client would send them. */
final class Items {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Items() {
    }

    static CommitItem.Builder newFile(String tempId, long parentId, String name, int chunks) {
        CommitItem.Builder item = CommitItem.newBuilder().setTempId(tempId).setVersion(1)
                .setStatus(ItemStatus.ITEM_STATUS_NEW).setName(name).setMimeType("application/octet-stream")
                .setChecksum("sha256:" + hex(64)).setSize(chunks * 512L * 1024).setModifiedAtMs(System.currentTimeMillis());
        if (parentId != 0) {
            item.setParentId(parentId);
        }
        for (int i = 0; i < chunks; i++) {
            item.addChunks(hex(40));
        }
        return item;
    }

    static String hex(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = HEX[random.nextInt(16)];
        }
        return new String(text);
    }

    static void count(CommitResponse response, Tally outcomes) {
        for (CommitItemResult result : response.getResultsList()) {
            outcomes.add(result.getOutcome().name().replace("COMMIT_OUTCOME_", ""), 1);
        }
    }
}
