package org.syncservice.desktop.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The device credential of a synced folder, in {@value #NAME} in its state directory, readable
 * and writable by its owner only (0600). The file is written beside its final name, created 0600
 * before the token goes in, and renamed into place, so a crash leaves the old credential or the
 * new one and never a half-written one. Not thread-safe: one process owns a state directory.
 */
final class CredentialFile {

    static final String NAME = "credentials.properties";
    /** Optional: files written before the login-only user existed have none. */
    private static final String LOGIN_USER = "login_user";

    private static final String[] KEYS = {"server", "email", "user_id", "device_id", "device_name", "token",
        "workspace_id", "workspace_name"};

    private final Path file;

    CredentialFile(Path stateDirectory) {
        this.file = stateDirectory.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /**
     * Reads the stored credential.
     *
     * @return it, or empty when there is none
     * @throws CliFailure when the file cannot be read or lacks a value
     */
    Optional<DeviceCredential> read() {
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getMessage());
        }
        for (String key : KEYS) {
            if (values.getProperty(key, "").isEmpty() && !key.equals("workspace_name")) {
                throw new CliFailure(file + " has no " + key + ": delete it and log in again with --login");
            }
        }
        return Optional.of(new DeviceCredential(values.getProperty("server"), values.getProperty("email"),
                values.getProperty("user_id"), values.getProperty("device_id"), values.getProperty("device_name"),
                values.getProperty("token"), values.getProperty("workspace_id"),
                values.getProperty("workspace_name", ""), values.getProperty(LOGIN_USER, "")));
    }

    /**
     * Stores the credential, replacing any earlier one.
     *
     * @throws CliFailure when it cannot be written
     */
    void write(DeviceCredential credential) {
        Properties values = new Properties();
        String[] fields = {credential.server(), credential.email(), credential.userId(), credential.deviceId(),
            credential.deviceName(), credential.token(), credential.workspaceId(), credential.workspaceName()};
        for (int i = 0; i < KEYS.length; i++) {
            values.setProperty(KEYS[i], fields[i]);
        }
        if (!credential.loginUser().isEmpty()) {
            values.setProperty(LOGIN_USER, credential.loginUser());
        }
        Path temporary = file.resolveSibling(NAME + ".new");
        try {
            Files.deleteIfExists(temporary);
            if (StateDirectory.posix()) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                values.store(writer, "The device credential of one synced folder. Keep it secret.");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + e);
        }
    }
}
