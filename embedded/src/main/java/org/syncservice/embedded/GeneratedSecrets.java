package org.syncservice.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Passwords of the embedded mode's own servers, generated on first use and kept in files of the data
 * directory that only their owner can read (mode 0600), so that a restart finds them again and no
 * other local user can. Never printed: the banner names the files.
 */
final class GeneratedSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratedSecrets() {
    }

    /** The password in {@code file}; a new random one (128 bits, hex), written there, when there is none. */
    static String readOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            String password = HexFormat.of().formatHex(bytes);
            try {
                // Created with its mode: never readable by others, not even for a moment.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                // Written meanwhile: read it below.
            }
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IOException(file + " is empty: delete it to have a new password generated");
        }
        return password;
    }

    /** Writes a file holding a secret with mode 0600 from its creation on. */
    static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
