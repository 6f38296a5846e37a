package org.syncservice.server.storage.swift;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.syncservice.server.config.StorageConfig;

/**
 * The body of a Keystone v3 token ({@code {"token": {"expires_at", "issued_at", "catalog"}}}):
 * when it expires, and the object-store endpoint to use. Immutable.
 */
final class KeystoneToken {
    /** How long before its expiry a token is replaced, at most; a tenth of its lifetime when shorter. */
    static final Duration RENEWAL_MARGIN = Duration.ofMinutes(5);

    private final JsonNode token;

    private KeystoneToken(JsonNode token) {
        this.token = token;
    }

    static KeystoneToken of(JsonNode body) throws IOException {
        JsonNode token = body.path("token");
        if (!token.isObject()) {
            throw new IOException("the Keystone answer has no token object");
        }
        return new KeystoneToken(token);
    }

    /**
     * The session of this token. Its renewal time is measured on the local clock from
     * {@code received}, with the lifetime Keystone announced ({@code expires_at - issued_at}), so
     * a skew between Keystone's clock and ours does not shorten or stretch it.
     */
    SwiftSession session(String subjectToken, StorageConfig.SwiftInterface endpointInterface, String region,
                         Instant received, URI keystone) throws IOException {
        Instant expires = instant("expires_at");
        Instant issued = token.has("issued_at") ? instant("issued_at") : null;
        Duration lifetime = issued != null && issued.isBefore(expires) ? Duration.between(issued, expires) : null;
        Instant renewAt;
        if (lifetime != null) {
            renewAt = received.plus(lifetime).minus(margin(lifetime));
        } else {
            renewAt = expires.minus(RENEWAL_MARGIN);
        }
        return new SwiftSession(objectStoreUrl(endpointInterface, region, keystone), subjectToken, renewAt);
    }

    private static Duration margin(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(RENEWAL_MARGIN) < 0 ? tenth : RENEWAL_MARGIN;
    }

    private Instant instant(String field) throws IOException {
        JsonNode value = token.path(field);
        if (!value.isTextual()) {
            throw new IOException("the Keystone token has no " + field);
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IOException("the Keystone token's " + field + " is not a date: " + value.asText(), e);
        }
    }

    /**
     * The first object-store endpoint of the wanted interface, in {@code region} when that is set
     * (matched against {@code region_id} and the older {@code region}).
     */
    URI objectStoreUrl(StorageConfig.SwiftInterface endpointInterface, String region, URI keystone)
            throws IOException {
        String wanted = endpointInterface.name().toLowerCase(Locale.ROOT);
        Set<String> offered = new TreeSet<>();
        for (JsonNode service : token.path("catalog")) {
            if (!"object-store".equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode endpoint : service.path("endpoints")) {
                String endpointRegion = endpoint.path("region_id").asText(endpoint.path("region").asText(""));
                offered.add(endpoint.path("interface").asText() + "@" + endpointRegion);
                if (wanted.equals(endpoint.path("interface").asText())
                        && (region.isEmpty() || region.equals(endpointRegion)
                            || region.equals(endpoint.path("region").asText()))
                        && endpoint.path("url").isTextual()) {
                    return URI.create(endpoint.path("url").asText());
                }
            }
        }
        throw new IOException("the catalog of Keystone " + keystone + " has no " + wanted + " object-store endpoint"
                + (region.isEmpty() ? "" : " in region " + region)
                + (offered.isEmpty() ? " (it lists no object-store service)" : " (it offers " + offered + ")"));
    }
}
