package org.syncservice.desktop.engine;

import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.SyncedItem;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/** Maps the service's items into the client's trees. */
final class RemoteItems {
    private RemoteItems() {
    }

    /** The item as this device keeps it: one that left the selected folders is gone from its copy. */
    static RemoteItem of(Item item) {
        boolean gone = item.getStatus() == ItemStatus.ITEM_STATUS_DELETED || item.getOutOfScope();
        return new RemoteItem(item.getItemId(), item.getParentId(), item.getName(), item.getIsFolder(),
                item.getVersion(), gone, item.getChecksum(),
                item.getSize(), item.getModifiedAtMs(), item.getChunksList(), item.getDeviceId());
    }

    /** The agreed state once the local entry is known to be the remote item. */
    static SyncedItem agreed(RemoteItem r, LocalEntry local) {
        return new SyncedItem(r.itemId(), r.parentId(), r.name(), r.folder(), r.version(), r.checksum(), r.size(),
                r.modifiedMs(), r.chunks(), local.fileKey(), local.size(), local.modifiedMs());
    }
}
