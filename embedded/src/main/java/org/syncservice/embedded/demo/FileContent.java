package org.syncservice.embedded.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file's bytes cut into fixed-size chunks, each named by the SHA-256 of its bytes (so equal
 * chunks share one name and one object in storage), and the whole file's checksum as the
 * protocol wants it ({@code sha256:HEX}). Immutable.
 */
final class FileContent {
    private final byte[] bytes;
    private final List<String> chunkNames;
    private final Map<String, byte[]> chunks;

    private FileContent(byte[] bytes, List<String> chunkNames, Map<String, byte[]> chunks) {
        this.bytes = bytes;
        this.chunkNames = List.copyOf(chunkNames);
        this.chunks = chunks;
    }

    static FileContent of(String text, int chunkSize) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        Map<String, byte[]> chunks = new LinkedHashMap<>();
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + chunkSize));
            String name = sha256(chunk);
            names.add(name);
            chunks.put(name, chunk);
        }
        return new FileContent(bytes, names, chunks);
    }

    /** Reassembles a file from its chunks' bytes, in order. */
    static byte[] join(List<byte[]> parts) {
        int length = parts.stream().mapToInt(part -> part.length).sum();
        byte[] whole = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, whole, offset, part.length);
            offset += part.length;
        }
        return whole;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String checksumOf(byte[] bytes) {
        return "sha256:" + sha256(bytes);
    }

    String checksum() {
        return checksumOf(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    long size() {
        return bytes.length;
    }

    /** Chunk names in file order (a repeated chunk is listed each time it occurs). */
    List<String> chunkNames() {
        return chunkNames;
    }

    /** Distinct chunks by name, with their bytes. */
    Map<String, byte[]> chunks() {
        return chunks;
    }
}
