package org.syncservice.server.storage.swift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;

/**
 * Keystone v3 password login with the JDK's HTTP client: {@code POST <auth-url>/auth/tokens} with
 * the password method, scoped to {@code storage.swift.project} in {@code storage.swift.domain}.
 * The token is the {@code X-Subject-Token} header; the storage URL is the object-store endpoint of
 * the token's catalog for the configured interface and region ({@link KeystoneToken}). TLS
 * certificates and host names are checked with the JDK's trust store. Error messages name the
 * Keystone URL and the user, never the password. Thread-safe.
 */
final class KeystoneV3Login implements SwiftLogin {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a Keystone v3 login needs. Its {@code toString} masks the password. */
    record Credentials(URI authUrl, String user, Secret password, String project, String domain, String region,
                       StorageConfig.SwiftInterface endpointInterface) {

        static Credentials of(StorageConfig.Swift config) {
            return new Credentials(URI.create(config.authUrl()), config.user(), config.password(), config.project(),
                    config.domain(), config.region(), config.endpointInterface());
        }

        /** {@code <auth-url>/auth/tokens}, the auth URL being Keystone's v3 root (ending in /v3). */
        URI tokensUrl() {
            String root = authUrl.toString();
            return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/auth/tokens");
        }
    }

    private final HttpClient http;
    private final Credentials credentials;
    private final Duration timeout;
    private final Clock clock;

    KeystoneV3Login(HttpClient http, Credentials credentials, Duration timeout, Clock clock) {
        this.http = http;
        this.credentials = credentials;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public SwiftSession login() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(credentials.tokensUrl())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(passwordAuth())))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(what() + " failed: " + e, e);
        }
        // Keystone answers 201 Created for a new token; anything else is a refusal or a fault.
        if (response.statusCode() != 201) {
            throw new IOException(what() + " answered " + response.statusCode() + errorMessage(response.body()));
        }
        String token = response.headers().firstValue("X-Subject-Token")
                .orElseThrow(() -> new IOException(what() + " answered no X-Subject-Token"));
        Instant received = clock.instant();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(what() + " answered a body that is not JSON", e);
        }
        return KeystoneToken.of(body).session(token, credentials.endpointInterface(), credentials.region(),
                received, credentials.authUrl());
    }

    /** The request body: the password method, the user and project named in one domain. */
    private ObjectNode passwordAuth() {
        ObjectNode auth = JSON.createObjectNode();
        ObjectNode identity = auth.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", credentials.user());
        user.putObject("domain").put("name", credentials.domain());
        user.put("password", credentials.password().reveal());
        ObjectNode project = ((ObjectNode) auth.get("auth")).putObject("scope").putObject("project");
        project.put("name", credentials.project());
        project.putObject("domain").put("name", credentials.domain());
        return auth;
    }

    private String what() {
        return "Keystone v3 login as " + credentials.user() + " (project " + credentials.project() + ", domain "
                + credentials.domain() + ") at " + credentials.authUrl();
    }

    /** Keystone's own explanation ({@code error.message}), when the body carries one. */
    private static String errorMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            return message.isTextual() ? ": " + message.asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
