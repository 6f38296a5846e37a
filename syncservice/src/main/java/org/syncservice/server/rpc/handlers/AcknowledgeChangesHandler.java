package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.AcknowledgeChangesResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.ChangeFeed;

/** Serves acknowledge_changes. Thread-safe. */
public final class AcknowledgeChangesHandler implements OperationHandler {
    private final ChangeFeed feed;

    public AcknowledgeChangesHandler(ChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.ACKNOWLEDGE_CHANGES;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        AcknowledgeChangesRequest ack = request.getAcknowledgeChanges();
        feed.acknowledge(call.caller(), WireMapping.uuid("acknowledge_changes.workspace_id", ack.getWorkspaceId()),
                ack.getChangeSeq());
        response.setAcknowledgeChanges(AcknowledgeChangesResponse.getDefaultInstance());
    }
}
