/**
 * Everything about a file's bytes: how they are cut into chunks, named and checked, and moved to
 * and from object storage.
 *
 * <ul>
 *   <li>{@link org.syncservice.desktop.content.ContentReader} reads a file once into its
 *       {@link org.syncservice.desktop.content.FileContent}: the whole file's {@code sha256:<hex>},
 *       and its content-defined chunks (FastCDC with a gear table seeded with {@code "SYNCCDC1"}:
 *       at least 512 KiB, 2 MiB targeted, at most 8 MiB), each named by the lower-case hex SHA-256
 *       of its bytes. A file under 512 KiB is one chunk; an empty file has none. Every client must
 *       cut alike for a chunk to be stored once, so the parameters and the table never change.</li>
 *   <li>{@link org.syncservice.desktop.content.ChunkTransfer} uploads the chunks the storage
 *       lacks and downloads a version into a verified, synced temporary file, through the signed
 *       URLs the service gives ({@link org.syncservice.desktop.content.StorageUrls}).</li>
 * </ul>
 *
 * <p>Failures: {@link org.syncservice.desktop.content.ContentChangedException} when a local file
 * changed under a read (read it again later), {@link org.syncservice.desktop.content.ChunkTransferException}
 * naming the chunk that could not be moved and why.
 */
package org.syncservice.desktop.content;
