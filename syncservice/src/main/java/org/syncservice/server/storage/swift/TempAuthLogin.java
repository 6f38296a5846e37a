package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Swift's own v1 authentication (TempAuth, swauth and compatible): a GET of the auth URL with
 * {@code X-Auth-User}/{@code X-Auth-Key} answers {@code X-Storage-Url} and {@code X-Auth-Token}.
 * The announced expiry ({@code X-Auth-Token-Expires}) is not used: a 401 makes the service log in
 * again. Thread-safe.
 */
final class TempAuthLogin implements SwiftLogin {
    private final HttpClient http;
    private final URI authUrl;
    private final String user;
    private final String key;
    private final Duration timeout;

    TempAuthLogin(HttpClient http, URI authUrl, String user, String key, Duration timeout) {
        this.http = http;
        this.authUrl = authUrl;
        this.user = user;
        this.key = key;
        this.timeout = timeout;
    }

    @Override
    public SwiftSession login() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(authUrl)
                .timeout(timeout)
                .header("X-Auth-User", user)
                .header("X-Auth-Key", key)
                .GET()
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("TempAuth login as " + user + " at " + authUrl + " answered " + response.statusCode());
        }
        String storageUrl = response.headers().firstValue("X-Storage-Url")
                .orElseThrow(() -> new IOException("TempAuth answered no X-Storage-Url"));
        String token = response.headers().firstValue("X-Auth-Token")
                .or(() -> response.headers().firstValue("X-Storage-Token"))
                .orElseThrow(() -> new IOException("TempAuth answered no X-Auth-Token"));
        return new SwiftSession(URI.create(storageUrl), token);
    }
}
