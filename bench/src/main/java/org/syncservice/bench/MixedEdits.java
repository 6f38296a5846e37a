package org.syncservice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/**
 * A desktop client's day: each operation commits one change to a file of the worker's own, chosen
 * like StackSync's traces: 40% new files, 30% new content, 10% renames, 10% moves between two
 * folders, 10% deletes. Each worker edits only files it created, so conflicts come only from bugs.
 */
final class MixedEdits implements Workload {
    private static final int KEEP_AT_LEAST = 10;

    private final List<Fleet.Device> devices;
    private final int chunks;

    MixedEdits(List<Fleet.Device> devices, int chunks) {
        this.devices = devices;
        this.chunks = chunks;
    }

    @Override
    public Worker worker(int index) {
        Fleet.Device device = devices.get(index % devices.size());
        String workspace = device.workspaceId().toString();
        String prefix = "m" + index + "-" + Items.hex(6);
        CommitResponse folders = device.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                .addItems(folder(prefix + "-a")).addItems(folder(prefix + "-b")).build());
        long[] folderIds = {folders.getResults(0).getCurrent().getItemId(), folders.getResults(1).getCurrent().getItemId()};
        List<Item> files = new ArrayList<>();
        return new Worker() {
            private long next;

            @Override
            public void runOnce(Tally outcomes) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int dice = random.nextInt(100);
                CommitItem change;
                int target = files.isEmpty() ? -1 : random.nextInt(files.size());
                if (target < 0 || dice < 40) {
                    String name = prefix + "-" + next++ + ".dat";
                    change = Items.newFile(name, folderIds[random.nextInt(2)], name, chunks).build();
                    target = -1;
                } else {
                    Item file = files.get(target);
                    CommitItem.Builder edit = CommitItem.newBuilder().setItemId(file.getItemId())
                            .setVersion(file.getVersion() + 1).setName(file.getName()).setParentId(file.getParentId())
                            .setMimeType(file.getMimeType()).setChecksum(file.getChecksum()).setSize(file.getSize())
                            .setModifiedAtMs(System.currentTimeMillis()).addAllChunks(file.getChunksList());
                    if (dice < 70) {
                        edit.setStatus(ItemStatus.ITEM_STATUS_CHANGED).setChecksum("sha256:" + Items.hex(64))
                                .clearChunks().addAllChunks(Items.newFile("x", 0, "x", chunks).getChunksList());
                    } else if (dice < 80) {
                        edit.setStatus(ItemStatus.ITEM_STATUS_RENAMED).setName(prefix + "-" + next++ + ".renamed");
                    } else if (dice < 90) {
                        long other = file.getParentId() == folderIds[0] ? folderIds[1] : folderIds[0];
                        edit.setStatus(ItemStatus.ITEM_STATUS_MOVED).setParentId(other);
                    } else if (files.size() > KEEP_AT_LEAST) {
                        edit.setStatus(ItemStatus.ITEM_STATUS_DELETED);
                    } else {
                        edit.setStatus(ItemStatus.ITEM_STATUS_RENAMED).setName(prefix + "-" + next++ + ".renamed");
                    }
                    change = edit.build();
                }
                CommitResponse response = device.client().commit(
                        CommitRequest.newBuilder().setWorkspaceId(workspace).addItems(change).build());
                Items.count(response, outcomes);
                track(target, response.getResults(0));
            }

            private void track(int target, CommitItemResult result) {
                if (result.getOutcome() != CommitOutcome.COMMIT_OUTCOME_COMMITTED) {
                    return;
                }
                Item current = result.getCurrent();
                if (target < 0) {
                    files.add(current);
                } else if (current.getStatus() == ItemStatus.ITEM_STATUS_DELETED) {
                    files.remove(target);
                } else {
                    files.set(target, current);
                }
            }
        };
    }

    private static CommitItem folder(String name) {
        return CommitItem.newBuilder().setTempId(name).setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                .setName(name).setIsFolder(true).build();
    }
}
