package org.syncservice.server.config;

import java.time.Duration;

/**
 * Where chunks are stored (keys {@code storage.*}). Exactly one back-end is selected; only the
 * selected back-end's settings are validated, and the others are null.
 */
public record StorageConfig(
        Backend backend,
        Duration signedUrlTtl,
        boolean verifyChunks,
        S3 s3,
        Swift swift,
        Ftp ftp) {

    public enum Backend { S3, SWIFT, FTP }

    /** The selected back-end and where it is, for messages (no credentials). */
    public String describe() {
        return switch (backend) {
            case S3 -> "s3 bucket " + s3.bucket() + " at " + s3.endpoint();
            case SWIFT -> "swift at " + swift.authUrl();
            case FTP -> "ftp " + ftp.host() + ":" + ftp.port() + " " + ftp.rootDirectory();
        };
    }

    /** An S3-compatible endpoint (keys {@code storage.s3.*}). */
    public record S3(
            String endpoint,
            String region,
            String bucket,
            String accessKey,
            Secret secretKey,
            boolean pathStyle) {
    }

    /** OpenStack Swift (keys {@code storage.swift.*}). */
    public record Swift(
            String authUrl,
            SwiftAuth authVersion,
            String user,
            Secret password,
            String project,
            String domain,
            String region,
            SwiftInterface endpointInterface,
            Secret tempUrlKey,
            String containerPrefix) {
    }

    /** How the service logs in to Swift: Keystone v3, or Swift's own TempAuth (v1). */
    public enum SwiftAuth { KEYSTONE_V3, TEMPAUTH }

    /** Which of the Keystone catalog's object-store endpoints the service uses. */
    public enum SwiftInterface { PUBLIC, INTERNAL, ADMIN }

    /** An FTP server (keys {@code storage.ftp.*}). */
    public record Ftp(
            String host,
            int port,
            String user,
            Secret password,
            String rootDirectory,
            boolean tls) {
    }
}
