package org.syncservice.desktop.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * Moves chunk bytes between local files and object storage through the signed URLs the service
 * hands out ({@link StorageUrls}), with the JDK's HTTP client: the device holds no storage
 * credentials.
 *
 * <p>An upload sends only the chunks the storage lacks, each once however often the file holds
 * it, re-read from the file and checked against its name; so an interrupted upload resumes where
 * it stopped when it is called again. A download checks every chunk against its name and the whole
 * file against its checksum, and leaves a synced temporary file for the caller to move into place.
 * Up to {@link Settings#parallelism()} chunks are in flight per call, so a call holds at most that
 * many chunks in memory; a failed request is retried with backoff, with a fresh URL after an HTTP
 * 403 (the URL expired).
 *
 * <p>Thread-safe: any number of threads may transfer at once; they share one pool of
 * {@link Settings#parallelism()} transfer threads. {@link #close()} stops the pool.
 */
public final class ChunkTransfer implements AutoCloseable {
    /**
     * URLs are asked for at most this many chunks at a time, just before they are used, so that
     * a large file does not outlive the URLs signed for its last chunks.
     */
    private static final int URL_BATCH = 64;
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ChunkTransfer.class);

    /**
     * How a {@link ChunkTransfer} works. Immutable.
     *
     * @param maxChunksPerRequest the most chunks one request to the service may name: the
     *     server's {@code limits.max_chunks_per_item}
     * @param parallelism chunks in flight at once, per call and over all calls' threads
     * @param attempts tries of one HTTP request before it fails (at least 1)
     * @param firstBackoff the wait before the second try; it doubles for each further one (up to 10 s)
     * @param requestTimeout the longest one HTTP request may take
     * @param maxChunkBytes the largest chunk a download accepts; it bounds the memory of a download
     */
    public record Settings(int maxChunksPerRequest, int parallelism, int attempts, Duration firstBackoff,
                           Duration requestTimeout, int maxChunkBytes) {

        public Settings {
            requirePositive(maxChunksPerRequest, "maxChunksPerRequest");
            requirePositive(parallelism, "parallelism");
            requirePositive(attempts, "attempts");
            requirePositive(maxChunkBytes, "maxChunkBytes");
            if (firstBackoff.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("firstBackoff must be >= 0 and requestTimeout > 0");
            }
        }

        /** 4 in flight, 5 tries from 250 ms, 60 s per request, chunks up to {@link ContentReader#MAX_CHUNK_SIZE}. */
        public static Settings defaults(int maxChunksPerRequest) {
            return new Settings(maxChunksPerRequest, 4, 5, Duration.ofMillis(250), Duration.ofSeconds(60),
                    ContentReader.MAX_CHUNK_SIZE);
        }

        private static void requirePositive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, not " + value);
            }
        }
    }

    private final StorageUrls storage;
    private final ContentReader reader;
    private final Settings settings;
    private final SignedRequests requests;
    private final ExecutorService workers;

    public ChunkTransfer(StorageUrls storage, ContentReader reader, Settings settings) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.requests = new SignedRequests(settings.requestTimeout());
        this.workers = Executors.newFixedThreadPool(settings.parallelism(), daemonThreads());
    }

    /**
     * Puts every chunk of {@code content} that the storage lacks, read again from {@code file}.
     *
     * @throws ContentChangedException when the file no longer holds {@code content}
     * @throws ChunkTransferException when a chunk could not be stored
     */
    public void upload(Path file, FileContent content, TransferProgress progress) throws IOException {
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        long held = 0;
        for (int i = 0; i < content.chunks().size(); i++) {
            if (firstIndex.putIfAbsent(content.chunks().get(i), i) != null) {
                held += content.chunkSizes().get(i);
            }
        }
        Set<String> missing = new HashSet<>();
        for (List<String> batch : batches(List.copyOf(firstIndex.keySet()), settings.maxChunksPerRequest())) {
            missing.addAll(storage.missing(batch));
        }
        List<String> toSend = new ArrayList<>();
        for (Map.Entry<String, Integer> chunk : firstIndex.entrySet()) {
            if (missing.contains(chunk.getKey())) {
                toSend.add(chunk.getKey());
            } else {
                held += content.chunkSizes().get(chunk.getValue());
            }
        }
        if (held > 0) {
            progress.skipped(held);
        }
        UrlSupply urls = new UrlSupply(StorageAccess.STORAGE_ACCESS_WRITE, toSend);
        InOrder.run(workers, settings.parallelism(), toSend.size(), i -> {
            String chunk = toSend.get(i);
            SignedUrl url = urls.at(i);
            return () -> {
                byte[] bytes = reader.readChunk(file, content, firstIndex.get(chunk));
                exchange(chunk, url, StorageAccess.STORAGE_ACCESS_WRITE, bytes, 0);
                progress.transferred(bytes.length);
                return null;
            };
        }, done -> { });
    }

    /** As {@link #download(String, long, List, Path, TransferProgress)} with what {@code content} says. */
    public void download(FileContent content, Path temporaryFile, TransferProgress progress) throws IOException {
        download(content.checksum(), content.size(), content.chunks(), temporaryFile, progress);
    }

    /**
     * Gets the chunks of a file version, as the service lists it, into {@code temporaryFile}
     * (created or truncated), verifies them and syncs the file to disk. Moving it into place is
     * the caller's work. Chunk sizes are not needed: the service does not record them.
     *
     * @param checksum the version's {@code sha256:<hex>} checksum
     * @param size the version's size in bytes
     * @param chunks the version's chunk names in order
     * @throws ChunkTransferException naming the chunk that the storage lacks, that is corrupt or
     *     that could not be fetched
     * @throws IOException also when the chunks, each sound, do not make the file's size and checksum
     */
    public void download(String checksum, long size, List<String> chunks, Path temporaryFile,
                         TransferProgress progress) throws IOException {
        if (!checksum.regionMatches(true, 0, Sha256.CHECKSUM_PREFIX, 0, Sha256.CHECKSUM_PREFIX.length())) {
            throw new IllegalArgumentException("only sha256 checksums can be verified, not " + checksum);
        }
        int limit = (int) Math.min(size, settings.maxChunkBytes());
        MessageDigest whole = Sha256.digest();
        long[] written = {0};
        try (FileChannel out = FileChannel.open(temporaryFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            UrlSupply urls = new UrlSupply(StorageAccess.STORAGE_ACCESS_READ, chunks);
            InOrder.run(workers, settings.parallelism(), chunks.size(), i -> {
                String chunk = chunks.get(i);
                SignedUrl url = urls.at(i);
                return () -> fetch(chunk, url, limit);
            }, bytes -> {
                if (written[0] + bytes.length > size) {
                    throw new IOException("the chunks of " + temporaryFile.getFileName() + " hold more than its "
                            + size + " bytes");
                }
                writeFully(out, bytes);
                whole.update(bytes);
                written[0] += bytes.length;
                progress.transferred(bytes.length);
            });
            String actual = Sha256.checksum(whole);
            if (written[0] != size || !actual.equalsIgnoreCase(checksum)) {
                throw new IOException("the chunks of " + temporaryFile.getFileName() + " make " + written[0]
                        + " bytes with " + actual + ", not the version's " + size + " bytes with " + checksum);
            }
            out.force(true);
        }
    }

    private byte[] fetch(String chunk, SignedUrl url, int limit) throws IOException, InterruptedException {
        byte[] bytes = exchange(chunk, url, StorageAccess.STORAGE_ACCESS_READ, null, limit);
        if (bytes.length > limit) {
            throw new ChunkTransferException(chunk, ChunkTransferException.Reason.CORRUPT,
                    "the storage holds more than the " + limit + " bytes it can have", null);
        }
        String actual = Sha256.chunkName(bytes);
        if (!actual.equalsIgnoreCase(chunk)) {
            throw new ChunkTransferException(chunk, ChunkTransferException.Reason.CORRUPT,
                    "the storage holds " + bytes.length + " bytes whose SHA-256 is " + actual, null);
        }
        return bytes;
    }

    /** One PUT (with {@code body}) or GET, tried up to {@link Settings#attempts()} times. */
    private byte[] exchange(String chunk, SignedUrl first, StorageAccess access, byte[] body, int limit)
            throws IOException, InterruptedException {
        SignedUrl url = first;
        for (int attempt = 1; ; attempt++) {
            ChunkTransferException failure;
            boolean expired = false;
            try {
                SignedRequests.Response response = body != null ? requests.put(url, body) : requests.get(url, limit);
                if (response.ok()) {
                    return response.body();
                }
                int status = response.status();
                if (status == 412 && body != null) {
                    // WRITE URLs forbid replacing a stored chunk: it is there already (an earlier try
                    // whose answer was lost, or another device), and the store checked it by its name.
                    return response.body();
                }
                if (status == 404 && body == null) {
                    throw new ChunkTransferException(chunk, ChunkTransferException.Reason.MISSING,
                            "the storage does not hold it (HTTP 404)", null);
                }
                failure = new ChunkTransferException(chunk, ChunkTransferException.Reason.REFUSED,
                        "the storage answered HTTP " + status + " to " + url.getMethod() + " after " + attempt
                                + (attempt == 1 ? " try" : " tries"), null);
                if (!worthRetrying(status)) {
                    throw failure;
                }
                expired = status == 403;
            } catch (ChunkTransferException e) {
                throw e;
            } catch (IOException e) {
                failure = new ChunkTransferException(chunk, ChunkTransferException.Reason.UNREACHABLE,
                        "the storage could not be reached after " + attempt
                                + (attempt == 1 ? " try: " : " tries: ") + e, e);
            }
            if (attempt >= settings.attempts()) {
                throw failure;
            }
            Duration wait = backoff(attempt);
            log.debug("{} of chunk {} failed ({}); try {} in {} ms", url.getMethod(), chunk, failure.getMessage(),
                    attempt + 1, wait.toMillis());
            Thread.sleep(wait.toMillis());
            if (expired) {
                url = urlsFor(access, List.of(chunk)).get(chunk);
            }
        }
    }

    /** 403: the URL expired (a fresh one follows); 408, 429, 5xx: the storage may answer later. */
    private static boolean worthRetrying(int status) {
        return status == 403 || status == 408 || status == 429 || status / 100 == 5;
    }

    private Duration backoff(int attempt) {
        Duration wait = settings.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        if (wait.compareTo(LONGEST_BACKOFF) > 0) {
            wait = LONGEST_BACKOFF;
        }
        // Jitter, so that the transfers that failed together do not all try again together.
        return wait.multipliedBy(50 + ThreadLocalRandom.current().nextInt(51)).dividedBy(100);
    }

    private Map<String, SignedUrl> urlsFor(StorageAccess access, List<String> chunks) throws IOException {
        Map<String, SignedUrl> byChunk = new LinkedHashMap<>();
        for (SignedUrl url : storage.urls(access, chunks)) {
            byChunk.put(url.getChunk(), url);
        }
        for (String chunk : chunks) {
            if (!byChunk.containsKey(chunk)) {
                throw new IOException("the service gave no " + access.name().toLowerCase(Locale.ROOT)
                        + " URL for chunk " + chunk);
            }
        }
        return byChunk;
    }

    private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int start = 0; start < all.size(); start += size) {
            batches.add(all.subList(start, Math.min(all.size(), start + size)));
        }
        return batches;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "chunk-transfer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /**
     * The URLs for a list of chunks walked in order, asked for {@link #URL_BATCH} positions at a
     * time as the walk reaches them. Used by the one thread that walks.
     */
    private final class UrlSupply {
        private final StorageAccess access;
        private final List<String> chunks;
        private int batchEnd;
        private Map<String, SignedUrl> batch = Map.of();

        UrlSupply(StorageAccess access, List<String> chunks) {
            this.access = access;
            this.chunks = chunks;
        }

        SignedUrl at(int index) throws IOException {
            if (index >= batchEnd) {
                batchEnd = Math.min(chunks.size(), index + Math.min(URL_BATCH, settings.maxChunksPerRequest()));
                batch = urlsFor(access, List.copyOf(new LinkedHashSet<>(chunks.subList(index, batchEnd))));
            }
            return batch.get(chunks.get(index));
        }
    }
}
