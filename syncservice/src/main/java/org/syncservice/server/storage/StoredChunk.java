package org.syncservice.server.storage;

import java.time.Instant;

/** A chunk present in storage: its size and when its object was last written. Immutable. */
public record StoredChunk(String chunk, long sizeBytes, Instant writtenAt) {
}
