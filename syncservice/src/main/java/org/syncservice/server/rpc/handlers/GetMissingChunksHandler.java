package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.GetMissingChunksResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.storage.MissingChunkService;

/**
 * Serves get_missing_chunks: which of the named chunks a member's workspace lacks in storage.
 * Served one request at a time, apart from the commits (it waits on the storage back-end, about one
 * request per chunk). Thread-safe.
 */
public final class GetMissingChunksHandler implements OperationHandler {
    private final MissingChunkService chunks;

    public GetMissingChunksHandler(MissingChunkService chunks) {
        this.chunks = chunks;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.GET_MISSING_CHUNKS;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        GetMissingChunksRequest ask = request.getGetMissingChunks();
        response.setGetMissingChunks(GetMissingChunksResponse.newBuilder()
                .addAllMissing(chunks.missing(call.caller().userId(),
                        WireMapping.uuid("get_missing_chunks.workspace_id", ask.getWorkspaceId()),
                        ask.getChunksList(), "get_missing_chunks.chunks")));
    }
}
