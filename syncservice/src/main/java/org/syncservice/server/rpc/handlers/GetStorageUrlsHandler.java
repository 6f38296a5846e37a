package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.GetStorageUrlsResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageLocation;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageUrlService;

/** Serves get_storage_urls: signed URLs for chunks of a workspace the caller is a member of. Thread-safe. */
public final class GetStorageUrlsHandler implements OperationHandler {
    private final StorageUrlService urls;

    public GetStorageUrlsHandler(StorageUrlService urls) {
        this.urls = urls;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.GET_STORAGE_URLS;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        GetStorageUrlsRequest ask = request.getGetStorageUrls();
        StorageAccess access = switch (ask.getAccess()) {
            case STORAGE_ACCESS_READ -> StorageAccess.READ;
            case STORAGE_ACCESS_WRITE -> StorageAccess.WRITE;
            default -> throw ServiceException.invalidArgument("get_storage_urls.access",
                    "get_storage_urls.access must be STORAGE_ACCESS_READ or STORAGE_ACCESS_WRITE");
        };
        StorageUrlService.SignedUrlsForWorkspace answer = urls.signedUrls(call.caller().userId(),
                WireMapping.uuid("get_storage_urls.workspace_id", ask.getWorkspaceId()), access,
                ask.getChunksList(), "get_storage_urls.chunks", ask.getSizesList(), "get_storage_urls.sizes");
        GetStorageUrlsResponse.Builder result = GetStorageUrlsResponse.newBuilder()
                .setExpiresAtMs(answer.urls().expiresAt().toEpochMilli())
                .setLocation(StorageLocation.newBuilder()
                        .setBackend(WireMapping.backend(answer.location().backend()))
                        .setContainer(answer.location().container())
                        .setPrefix(answer.location().prefix()));
        for (org.syncservice.server.storage.SignedUrl url : answer.urls().urls()) {
            result.addUrls(SignedUrl.newBuilder()
                    .setChunk(url.chunk())
                    .setUrl(url.url().toString())
                    .setMethod(url.method())
                    .putAllHeaders(url.headers()));
        }
        response.setGetStorageUrls(result);
    }
}
