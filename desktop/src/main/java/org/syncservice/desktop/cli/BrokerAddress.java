package org.syncservice.desktop.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.syncservice.client.SyncClientOptions;

/**
 * Where the service's broker is, from a URL {@code amqp://[USER@]HOST[:PORT][/VHOST]} (or
 * {@code amqps://} for TLS), as RabbitMQ's URI spec writes it: the virtual host is the path without
 * its slash, percent-decoded, and {@code /} when the path is empty. The broker password is never in
 * the URL (the process list shows command lines): it comes from {@value #PASSWORD_VARIABLE}.
 * Without either, the broker user is {@code guest}/{@code guest}, which the embedded mode's broker
 * takes. Immutable.
 *
 * @param url the URL as given, without user information other than the user name
 * @param host the broker host
 * @param port the broker port
 * @param virtualHost the virtual host
 * @param username the broker user
 * @param tls whether to connect with TLS
 * @param loginUser the broker's login-only user (scripts/rabbitmq-auth-setup.sh): given it, the
 *     client logs in as that user and then works under the broker identity the service signs the
 *     device (docs/client.md); its password comes from {@value #LOGIN_PASSWORD_VARIABLE}, else it is
 *     the user's name, as the set-up script makes it (published, not a secret)
 */
record BrokerAddress(String url, String host, int port, String virtualHost, String username, boolean tls,
                     Optional<String> loginUser) {

    static final String PASSWORD_VARIABLE = "SYNCSERVICE_BROKER_PASSWORD";
    /** The login-only user when no --login-user is given (and none is stored). */
    static final String LOGIN_USER_VARIABLE = "SYNCSERVICE_LOGIN_USER";
    static final String LOGIN_PASSWORD_VARIABLE = "SYNCSERVICE_LOGIN_PASSWORD";
    private static final String DEFAULT_USER = "guest";

    BrokerAddress {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(virtualHost, "virtualHost");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(loginUser, "loginUser");
    }

    /** The same broker, logged in to through {@code user} first (empty: none). */
    BrokerAddress withLoginUser(Optional<String> user) {
        return new BrokerAddress(url, host, port, virtualHost, username, tls, user.filter(u -> !u.isEmpty()));
    }

    /**
     * Parses a broker URL.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static BrokerAddress parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("expected amqp://HOST:PORT[/VHOST], got '" + url + "'");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("amqp") || scheme.equals("amqps"))) {
            throw new IllegalArgumentException("expected an amqp:// or amqps:// URL, got '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("expected a host in '" + url + "'");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("expected no query or fragment in '" + url + "'");
        }
        String user = DEFAULT_USER;
        if (uri.getRawUserInfo() != null) {
            if (uri.getRawUserInfo().contains(":")) {
                throw new IllegalArgumentException("a password is never taken from the command line: set "
                        + PASSWORD_VARIABLE);
            }
            user = decode(uri.getRawUserInfo());
        }
        boolean tls = scheme.equals("amqps");
        int port = uri.getPort() == -1 ? (tls ? 5671 : 5672) : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.indexOf('/', 1) > 0) {
            throw new IllegalArgumentException("the virtual host is one path segment (write '/' as %2F), got '"
                    + url + "'");
        }
        String virtualHost = path.length() <= 1 ? "/" : decode(path.substring(1));
        return new BrokerAddress(url, uri.getHost(), port, virtualHost, user, tls, Optional.empty());
    }

    /**
     * The client options for this broker.
     *
     * @param variables the environment, for {@value #PASSWORD_VARIABLE}
     */
    SyncClientOptions options(Map<String, String> variables) {
        String password = variables.getOrDefault(PASSWORD_VARIABLE, "");
        SyncClientOptions.Builder builder = SyncClientOptions.builder();
        loginUser.ifPresent(user -> builder.loginUser(user, variables.getOrDefault(LOGIN_PASSWORD_VARIABLE, user)));
        return builder
                .host(host)
                .port(port)
                .virtualHost(virtualHost)
                .tls(tls)
                .username(username)
                .password(password.isEmpty() ? DEFAULT_USER : password)
                .connectionName("syncservice-desktop")
                .callTimeout(Duration.ofSeconds(30))
                // No AMQP expiration on requests: the service checks each request's deadline_ms
                // itself, so nothing is lost, while the embedded mode's broker (Qpid Broker-J) reads
                // expiration as an absolute time instead of RabbitMQ's time-to-live and would drop
                // every request.
                .requestExpiration(false)
                .build();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
