package org.syncservice.desktop.content;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * {@link StorageUrls} over an {@link S3Signer}, as the service would answer: URLs presigned for
 * the chunks, and the missing ones found with HEAD requests. Records how many chunks each request
 * named, and hands out forged URLs (answered 403) when told to. Thread-safe.
 */
final class PresignedStorageUrls implements StorageUrls {
    private final S3Signer store;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Integer> requestSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger forgeNext = new AtomicInteger();
    private final Set<String> alwaysForged = ConcurrentHashMap.newKeySet();

    PresignedStorageUrls(S3Signer store) {
        this.store = store;
    }

    @Override
    public List<SignedUrl> urls(StorageAccess access, List<String> chunks) {
        requestSizes.add(chunks.size());
        List<SignedUrl> urls = new ArrayList<>();
        for (String chunk : new LinkedHashSet<>(chunks)) {
            boolean forged = alwaysForged.contains(chunk) || forgeNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            urls.add(store.url(access, chunk, forged));
        }
        return urls;
    }

    @Override
    public Set<String> missing(List<String> chunks) throws IOException {
        requestSizes.add(chunks.size());
        Set<String> missing = new LinkedHashSet<>();
        for (String chunk : chunks) {
            SignedUrl head = store.head(chunk);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(head.getUrl()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody());
            head.getHeadersMap().forEach(request::header);
            int status;
            try {
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (status == 404) {
                missing.add(chunk);
            } else if (status != 200) {
                throw new IOException("HEAD of chunk " + chunk + " answered " + status);
            }
        }
        return missing;
    }

    /** The next {@code count} URLs handed out are forged. */
    void forgeNext(int count) {
        forgeNext.set(count);
    }

    /** Every URL of {@code chunk} is forged from now on. */
    void forgeAlways(String chunk) {
        alwaysForged.add(chunk);
    }

    /** How many chunks each request named, in order. */
    List<Integer> requestSizes() {
        return Collections.unmodifiableList(requestSizes);
    }
}
