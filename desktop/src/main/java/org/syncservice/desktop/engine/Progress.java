package org.syncservice.desktop.engine;

/**
 * How far the current round of transfers has come, for a progress line. Immutable.
 *
 * @param filesDone files uploaded or downloaded in this round
 * @param filesTotal files to transfer in this round
 * @param bytesDone bytes transferred in this round
 * @param bytesTotal bytes to transfer in this round
 */
public record Progress(long filesDone, long filesTotal, long bytesDone, long bytesTotal) {
}
