package org.syncservice.server.transport.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the RSA private key that signs broker tokens from a PEM file (PKCS#8, what
 * {@code openssl genpkey} writes). The JDK reads the DER itself; only the PEM armour is taken off
 * here, which is all a library would do for this one format. Error messages name the file and
 * what is wrong with it, never any of its content.
 */
final class BrokerSigningKey {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private BrokerSigningKey() {
    }

    /** @throws IllegalArgumentException saying why the file holds no usable key */
    static PrivateKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException(file + ": expected an unencrypted PKCS#8 key ('" + BEGIN
                    + "'); convert it with openssl pkcs8 -topk8 -nocrypt");
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + ": expected a PEM private key between '" + BEGIN
                    + "' and '" + END + "'");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not an RSA private key");
        }
    }
}
