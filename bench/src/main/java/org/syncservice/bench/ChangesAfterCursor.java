package org.syncservice.bench;

import java.util.List;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;

/**
 * Each operation asks for the changes after a cursor behind which exactly 10 files were committed:
 * what a device does when it comes back after a short absence.
 */
final class ChangesAfterCursor implements Workload {
    static final int CHANGES = 10;

    private final List<Fleet.Device> devices;
    private final int chunks;
    /** One full listing per device: workers of a device share its cursor (each adds its own 10 changes). */
    private final java.util.Map<String, String> listed = new java.util.HashMap<>();

    ChangesAfterCursor(List<Fleet.Device> devices, int chunks) {
        this.devices = devices;
        this.chunks = chunks;
    }

    @Override
    public Worker worker(int index) {
        Fleet.Device device = devices.get(index % devices.size());
        String workspace = device.workspaceId().toString();
        String cursor = listed.computeIfAbsent(device.deviceId(), id -> catchUp(device, workspace));
        CommitRequest.Builder commit = CommitRequest.newBuilder().setWorkspaceId(workspace);
        String prefix = "c" + index + "-" + Items.hex(6) + "-";
        for (int i = 0; i < CHANGES; i++) {
            commit.addItems(Items.newFile(prefix + i, 0, prefix + i + ".bin", chunks));
        }
        device.client().commit(commit.build());
        GetChangesRequest request = GetChangesRequest.newBuilder().setWorkspaceId(workspace).setCursor(cursor)
                .setPageSize(100).build();
        return outcomes -> {
            GetChangesResponse changes = device.client().getChanges(request);
            outcomes.add(changes.getItemsCount() >= CHANGES ? "LISTED" : "SHORT_LISTING", 1);
        };
    }

    /** Lists the whole workspace, as a new device does, and reports how long it took. */
    private static String catchUp(Fleet.Device device, String workspace) {
        String cursor = "";
        GetChangesResponse page;
        long items = 0;
        int pages = 0;
        long started = System.nanoTime();
        do {
            page = device.client().getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace)
                    .setCursor(cursor).setPageSize(5000).build());
            cursor = page.getNextCursor();
            items += page.getItemsCount();
            pages++;
        } while (page.getHasMore());
        if (items > 1000) {
            System.out.printf(java.util.Locale.ROOT, "full listing of %d items in %d pages of up to 5000: %.2f s%n",
                    items, pages, (System.nanoTime() - started) / 1e9);
        }
        return cursor;
    }
}
