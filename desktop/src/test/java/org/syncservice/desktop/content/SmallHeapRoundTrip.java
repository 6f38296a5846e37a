package org.syncservice.desktop.content;

import java.net.URI;
import java.nio.file.Path;

/**
 * Reads, uploads and downloads one file in a JVM of its own, started by a test with a heap smaller
 * than the file: any whole-file buffer would fail it with an OutOfMemoryError.
 * Arguments: the S3 endpoint, the file, the temporary file to download into.
 */
final class SmallHeapRoundTrip {
    /** Two in flight: at most two 8 MiB chunks in memory, each read through a buffer as large. */
    static final int PARALLELISM = 2;

    private SmallHeapRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        ContentReader reader = new ContentReader();
        ChunkTransfer.Settings defaults = ChunkTransfer.Settings.defaults(1000);
        ChunkTransfer.Settings settings = new ChunkTransfer.Settings(defaults.maxChunksPerRequest(), PARALLELISM,
                defaults.attempts(), defaults.firstBackoff(), defaults.requestTimeout(), defaults.maxChunkBytes());
        try (S3Signer signer = new S3Signer(URI.create(args[0]));
             ChunkTransfer transfer = new ChunkTransfer(new PresignedStorageUrls(signer), reader, settings)) {
            FileContent content = reader.read(file);
            transfer.upload(file, content, TransferProgress.NONE);
            transfer.download(content, Path.of(args[2]), TransferProgress.NONE);
        }
    }
}
