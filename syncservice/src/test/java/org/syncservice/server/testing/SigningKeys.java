package org.syncservice.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * A broker signing key pair of a test's own: the private half in a PEM file
 * ({@code auth.broker-signing-key-file}), the public half as PEM text for
 * {@code rabbitmqctl add_uaa_key}. The file is removed on close.
 */
public final class SigningKeys implements AutoCloseable {
    private final KeyPair keys;
    private final Path privateKeyFile;

    private SigningKeys(KeyPair keys, Path privateKeyFile) {
        this.keys = keys;
        this.privateKeyFile = privateKeyFile;
    }

    public static SigningKeys create() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path file = Files.createTempFile("broker-signing", ".pem");
        Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        return new SigningKeys(keys, file);
    }

    /** Where the private key is, as the service's config names it. */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** The public key as PEM text, for the broker. */
    public String publicKeyPem() {
        return pem("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(privateKeyFile);
    }
}
