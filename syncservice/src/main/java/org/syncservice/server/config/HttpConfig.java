package org.syncservice.server.config;

/** The optional health and metrics endpoint (keys {@code http.*}); port 0 turns it off. */
public record HttpConfig(String bindAddress, int port) {

    public boolean enabled() {
        return port != 0;
    }
}
