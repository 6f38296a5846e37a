package org.syncservice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/** Puts chunks into a workspace's storage as a client does: a WRITE URL from get_storage_urls, then an HTTP PUT. */
public final class SignedUploads {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedUploads() {
    }

    /** Uploads {@code bytes} as {@code chunk} of {@code workspace}; fails the test unless storage answers 200. */
    public static void upload(SyncClient client, String workspace, String chunk, String bytes)
            throws IOException, InterruptedException {
        SignedUrl put = client.getStorageUrls(GetStorageUrlsRequest.newBuilder().setWorkspaceId(workspace)
                .setAccess(StorageAccess.STORAGE_ACCESS_WRITE).addChunks(chunk).build()).getUrls(0);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(put.getUrl()))
                .method(put.getMethod(), HttpRequest.BodyPublishers.ofString(bytes));
        put.getHeadersMap().forEach(request::header);
        assertThat(HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .as("PUT of chunk %s", chunk).isEqualTo(200);
    }
}
