package org.syncservice.server.config;

/**
 * A configuration that cannot be used. The message is a single line that names the key (or the
 * file) and what was expected, fit to be printed as is to an operator; it never contains the
 * value of a secret. Immutable and thread-safe.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
