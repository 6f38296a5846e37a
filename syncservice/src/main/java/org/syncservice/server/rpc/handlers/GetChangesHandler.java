package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.ItemMapping;
import org.syncservice.server.rpc.wire.LockMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.ChangeFeed;
import org.syncservice.server.sync.ChangePage;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.ListingScope;

/** Serves get_changes. Thread-safe. */
public final class GetChangesHandler implements OperationHandler {
    private final ChangeFeed feed;

    public GetChangesHandler(ChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.GET_CHANGES;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        GetChangesRequest get = request.getGetChanges();
        ChangePage page = feed.changes(call.caller(),
                WireMapping.uuid("get_changes.workspace_id", get.getWorkspaceId()),
                ListingScope.of(get.getSubtreeIdsList()), get.getCursor(), get.getPageSize());
        GetChangesResponse.Builder answer = GetChangesResponse.newBuilder()
                .setNextCursor(page.nextCursor())
                .setHasMore(page.hasMore())
                .setChangeSeq(page.changeSeq());
        for (ItemVersion item : page.items()) {
            ItemLock lock = page.locks().get(item.itemId());
            boolean outOfScope = page.outOfScope().contains(item.itemId());
            Item wire = ItemMapping.item(item);
            answer.addItems(lock == null && !outOfScope ? wire : withListingState(wire, lock, outOfScope));
        }
        response.setGetChanges(answer);
    }

    private static Item withListingState(Item item, ItemLock lock, boolean outOfScope) {
        Item.Builder listed = item.toBuilder().setOutOfScope(outOfScope);
        if (lock != null) {
            listed.setLock(LockMapping.lock(lock));
        }
        return listed.build();
    }
}
