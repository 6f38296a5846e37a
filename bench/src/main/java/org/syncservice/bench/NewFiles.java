package org.syncservice.bench;

import java.util.List;
import org.syncservice.protocol.v1.CommitRequest;

/** Each operation commits {@code batchSize} new files into the device's default workspace. */
final class NewFiles implements Workload {
    private final List<Fleet.Device> devices;
    private final int batchSize;
    private final int chunks;

    NewFiles(List<Fleet.Device> devices, int batchSize, int chunks) {
        this.devices = devices;
        this.batchSize = batchSize;
        this.chunks = chunks;
    }

    @Override
    public Worker worker(int index) {
        Fleet.Device device = devices.get(index % devices.size());
        String prefix = "w" + index + "-" + Items.hex(6) + "-";
        return new Worker() {
            private long next;

            @Override
            public void runOnce(Tally outcomes) {
                CommitRequest.Builder commit = CommitRequest.newBuilder().setWorkspaceId(device.workspaceId().toString());
                for (int i = 0; i < batchSize; i++) {
                    String name = prefix + next++;
                    commit.addItems(Items.newFile(name, 0, name + ".bin", chunks));
                }
                Items.count(device.client().commit(commit.build()), outcomes);
            }
        };
    }
}
