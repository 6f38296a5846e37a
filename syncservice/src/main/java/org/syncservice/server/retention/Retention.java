package org.syncservice.server.retention;

/** The two halves of retention, as the composition root wires them: the metadata purge and the chunk collector. */
public record Retention(MetadataPurge purge, ChunkCollector chunks) {
}
