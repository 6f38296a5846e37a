package org.syncservice.server.config;

import java.util.regex.Pattern;

/** The limits the service enforces on requests and announces in server info (keys {@code limits.*}). */
public record LimitsConfig(
        int maxMessageBytes,
        int maxItemsPerCommit,
        int maxChunksPerItem,
        int maxNameBytes,
        int defaultPageSize,
        int maxPageSize,
        long maxFileSizeBytes,
        Pattern chunkNamePattern,
        int requestsPerSecondPerDevice,
        int pageBytes) {
}
