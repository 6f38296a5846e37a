package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.ListItemVersionsRequest;
import org.syncservice.protocol.v1.ListItemVersionsResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.ItemMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.ChangeFeed;
import org.syncservice.server.sync.ItemVersion;

/** Serves list_item_versions. Thread-safe. */
public final class ListItemVersionsHandler implements OperationHandler {
    private final ChangeFeed feed;

    public ListItemVersionsHandler(ChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LIST_ITEM_VERSIONS;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ListItemVersionsRequest list = request.getListItemVersions();
        ChangeFeed.VersionPage page = feed.versions(call.caller(),
                WireMapping.uuid("list_item_versions.workspace_id", list.getWorkspaceId()), list.getItemId(),
                list.getBeforeVersion(), list.getPageSize());
        ListItemVersionsResponse.Builder answer = ListItemVersionsResponse.newBuilder().setHasMore(page.hasMore());
        for (ItemVersion version : page.versions()) {
            answer.addVersions(ItemMapping.item(version));
        }
        response.setListItemVersions(answer);
    }
}
