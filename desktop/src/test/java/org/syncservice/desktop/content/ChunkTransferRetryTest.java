package org.syncservice.desktop.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * Faults that S3Proxy cannot be made to show: a storage that answers 503 for a while, or is not
 * there at all. A small HTTP server on 127.0.0.1 plays the storage.
 */
class ChunkTransferRetryTest {
    @TempDir
    Path dir;

    private final ContentReader reader = new ContentReader();
    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String chunk = exchange.getRequestURI().getPath().substring(1);
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (unavailableLeft.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
        } else if (exchange.getRequestMethod().equals("PUT")
                && "*".equals(exchange.getRequestHeaders().getFirst("If-None-Match")) && stored.containsKey(chunk)) {
            exchange.sendResponseHeaders(412, -1);
        } else if (exchange.getRequestMethod().equals("PUT")) {
            stored.put(chunk, body);
            exchange.sendResponseHeaders(200, -1);
        } else if (stored.containsKey(chunk)) {
            byte[] bytes = stored.get(chunk);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        } else {
            exchange.sendResponseHeaders(404, -1);
        }
        exchange.close();
    }

    private ChunkTransfer transferTo(String base, int attempts) {
        StorageUrls urls = new StorageUrls() {
            @Override
            public List<SignedUrl> urls(StorageAccess access, List<String> chunks) {
                String method = access == StorageAccess.STORAGE_ACCESS_WRITE ? "PUT" : "GET";
                Map<String, String> headers = method.equals("PUT") ? Map.of("If-None-Match", "*") : Map.of();
                return chunks.stream().map(chunk -> SignedUrl.newBuilder().setChunk(chunk).setMethod(method)
                        .setUrl(base + "/" + chunk).putAllHeaders(headers).build()).toList();
            }

            @Override
            public Set<String> missing(List<String> chunks) {
                return Set.copyOf(chunks);
            }
        };
        return new ChunkTransfer(urls, reader, new ChunkTransfer.Settings(100, 2, attempts, Duration.ofMillis(1),
                Duration.ofSeconds(30), ContentReader.MAX_CHUNK_SIZE));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aStorageThatIsUnavailableForAWhileGetsTheChunkOnALaterTry() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "some bytes");
        FileContent content = reader.read(file);
        unavailableLeft.set(2);

        try (ChunkTransfer transfer = transferTo(base(), 3)) {
            transfer.upload(file, content, TransferProgress.NONE);
            unavailableLeft.set(2);
            transfer.download(content, dir.resolve("copy"), TransferProgress.NONE);
        }

        assertThat(requests.get()).isEqualTo(6);
        assertThat(dir.resolve("copy")).hasSameBinaryContentAs(file);
    }

    /** WRITE URLs forbid replacing a stored chunk: its 412 means the chunk is up, not that the upload failed. */
    @Test
    void aChunkTheStorageHoldsAlreadyAnswers412AndCountsAsUploaded() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "some bytes");
        FileContent content = reader.read(file);

        try (ChunkTransfer transfer = transferTo(base(), 3)) {
            transfer.upload(file, content, TransferProgress.NONE);
            transfer.upload(file, content, TransferProgress.NONE);
        }

        assertThat(requests.get()).isEqualTo(2);
        assertThat(stored.get(content.chunks().get(0))).isEqualTo("some bytes".getBytes());
    }

    @Test
    void aStorageThatStaysUnavailableFailsTheChunkAfterItsTries() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "some bytes");
        FileContent content = reader.read(file);
        unavailableLeft.set(Integer.MAX_VALUE);

        try (ChunkTransfer transfer = transferTo(base(), 3)) {
            assertThatThrownBy(() -> transfer.upload(file, content, TransferProgress.NONE))
                    .isInstanceOfSatisfying(ChunkTransferException.class, e -> {
                        assertThat(e.chunk()).isEqualTo(content.chunks().get(0));
                        assertThat(e.reason()).isEqualTo(ChunkTransferException.Reason.REFUSED);
                    })
                    .hasMessageContaining("503");
        }
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void aChunkLargerThanItsFileFailsTheDownloadWithoutBeingHeld() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "some bytes");
        FileContent content = reader.read(file);
        stored.put(content.chunks().get(0), new byte[5 << 20]);

        try (ChunkTransfer transfer = transferTo(base(), 3)) {
            assertThatThrownBy(() -> transfer.download(content, dir.resolve("copy"), TransferProgress.NONE))
                    .isInstanceOfSatisfying(ChunkTransferException.class, e -> {
                        assertThat(e.chunk()).isEqualTo(content.chunks().get(0));
                        assertThat(e.reason()).isEqualTo(ChunkTransferException.Reason.CORRUPT);
                    })
                    .hasMessageContaining("more than the " + content.size() + " bytes");
        }
    }

    @Test
    void aStorageThatCannotBeReachedFailsTheChunkAsUnreachable() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "some bytes");
        FileContent content = reader.read(file);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        try (ChunkTransfer transfer = transferTo("http://127.0.0.1:" + closedPort, 2)) {
            assertThatThrownBy(() -> transfer.upload(file, content, TransferProgress.NONE))
                    .isInstanceOfSatisfying(ChunkTransferException.class, e ->
                            assertThat(e.reason()).isEqualTo(ChunkTransferException.Reason.UNREACHABLE))
                    .hasMessageContaining(content.chunks().get(0));
        }
    }
}
