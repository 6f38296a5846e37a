package org.syncservice.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client reaches the service: the RabbitMQ broker, credentials, the service's request queue
 * and the default call timeout; and how a {@link NotificationListener} polls when push is
 * unavailable and checks its digest.
 *
 * <p>Immutable and thread-safe. Built with {@link #builder()}; every value is validated once, in
 * {@link Builder#build()}, with a message naming the offending option. {@link #toString()} never
 * shows the password.
 */
public final class SyncClientOptions {

    /** The request queue the service consumes unless configured otherwise. */
    public static final String DEFAULT_REQUEST_QUEUE = "syncservice.requests";

    /** The request exchange the service declares unless configured otherwise. */
    public static final String DEFAULT_REQUEST_EXCHANGE = "syncservice.rpc";

    /** The shortest poll interval accepted. */
    public static final long MIN_POLL_INTERVAL_MS = 100;

    /** The most digest checks accepted per catch-up. */
    public static final int MAX_DIGEST_CHECK_ATTEMPTS = 10;

    private final String host;
    private final int port;
    private final String virtualHost;
    private final String username;
    private final String password;
    private final boolean tls;
    private final String requestQueue;
    private final Duration callTimeout;
    private final String connectionName;
    private final Duration recoveryInterval;
    private final boolean requestExpiration;
    private final Duration pollInterval;
    private final Duration checkInterval;
    private final int digestCheckAttempts;
    private final String loginUsername;
    private final String loginPassword;
    private final String requestExchange;

    private SyncClientOptions(Builder b) {
        this.host = b.host;
        this.tls = b.tls;
        // 0 means "the standard port of the chosen transport", so that enabling TLS alone works.
        this.port = b.port != 0 ? b.port : (b.tls ? 5671 : 5672);
        this.virtualHost = b.virtualHost;
        this.username = b.username;
        this.password = b.password;
        this.requestQueue = b.requestQueue;
        this.callTimeout = b.callTimeout;
        this.connectionName = b.connectionName;
        this.recoveryInterval = b.recoveryInterval;
        this.requestExpiration = b.requestExpiration;
        this.pollInterval = b.pollInterval;
        this.checkInterval = b.checkInterval;
        this.digestCheckAttempts = b.digestCheckAttempts;
        this.loginUsername = b.loginUsername;
        this.loginPassword = b.loginPassword;
        this.requestExchange = b.requestExchange;
    }

    /** Returns a builder with the defaults: localhost, guest/guest, vhost "/", no TLS, 30 s calls. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder pre-filled with these options, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.virtualHost = virtualHost;
        b.username = username;
        b.password = password;
        b.tls = tls;
        b.requestQueue = requestQueue;
        b.callTimeout = callTimeout;
        b.connectionName = connectionName;
        b.recoveryInterval = recoveryInterval;
        b.requestExpiration = requestExpiration;
        b.pollInterval = pollInterval;
        b.checkInterval = checkInterval;
        b.digestCheckAttempts = digestCheckAttempts;
        b.loginUsername = loginUsername;
        b.loginPassword = loginPassword;
        b.requestExchange = requestExchange;
        return b;
    }

    /** The broker's host name or address. */
    public String host() {
        return host;
    }

    /** The broker's port (5672, or 5671 with TLS, unless set). */
    public int port() {
        return port;
    }

    /** The broker's virtual host. */
    public String virtualHost() {
        return virtualHost;
    }

    /** The broker user name. */
    public String username() {
        return username;
    }

    /** The broker password. Never logged. */
    public String password() {
        return password;
    }

    /**
     * Whether to connect with TLS. When true the broker's certificate chain is verified against the
     * JVM's default trust store and its host name is verified; there is no trust-all mode.
     */
    public boolean tls() {
        return tls;
    }

    /** The service's request queue, used as the routing key on the default exchange. */
    public String requestQueue() {
        return requestQueue;
    }

    /** How long a call waits for its reply before failing with {@code DEADLINE_EXCEEDED}. */
    /** Whether requests carry the call timeout as their AMQP {@code expiration} (default true). */
    public boolean requestExpiration() {
        return requestExpiration;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    /** The connection name shown by the broker's management tools. */
    public String connectionName() {
        return connectionName;
    }

    /** How long to wait between attempts to recover a lost connection. */
    public Duration recoveryInterval() {
        return recoveryInterval;
    }

    /**
     * How often a {@link NotificationListener} polls {@code get_changes} for every tracked workspace
     * while push is unavailable: the server does not offer {@code subscribe_notifications}, the
     * notification consumer was cancelled, or its connection is recovering.
     */
    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * How often a {@link NotificationListener} catches up every tracked workspace even while push
     * works: a device that stays connected while the service's database is restored from a backup
     * gets no notification it would take for news (their numbers are ones it saw), and learns of
     * the restore (CURSOR_EXPIRED, history rewound) at the next catch-up.
     */
    public Duration checkInterval() {
        return checkInterval;
    }

    /**
     * How many times a {@link NotificationListener} tries to take a workspace digest at the change
     * sequence number it caught up to, catching up again in between when the workspace moved on; 0
     * for no digest checks.
     */
    public int digestCheckAttempts() {
        return digestCheckAttempts;
    }

    /**
     * The broker's login-only user, when the broker authenticates devices itself. Set, the client
     * connects as this user first and, when the server hands out broker tokens, switches to the
     * device's own broker identity after login by itself (protocol.md 2.7); a server that hands out
     * none is reached as {@link #username()} as before. Empty: always as {@link #username()}.
     */
    public java.util.Optional<String> loginUsername() {
        return java.util.Optional.ofNullable(loginUsername);
    }

    /** The login-only user's password (published by the operator, not a device secret). Never logged. */
    public String loginPassword() {
        return loginPassword;
    }

    /**
     * The exchange the login-only user publishes its first requests to, before the server announced
     * its own ({@code amqp.request-exchange}); the client then uses the announced one.
     */
    public String requestExchange() {
        return requestExchange;
    }

    @Override
    public String toString() {
        return "SyncClientOptions{host=" + host + ", port=" + port + ", virtualHost=" + virtualHost
                + ", username=" + username + ", password=****, tls=" + tls
                + ", requestQueue=" + requestQueue + ", callTimeout=" + callTimeout
                + ", connectionName=" + connectionName + ", recoveryInterval=" + recoveryInterval
                + ", pollInterval=" + pollInterval + ", checkInterval=" + checkInterval
                + ", digestCheckAttempts=" + digestCheckAttempts
                + ", loginUsername=" + loginUsername + ", loginPassword=****, requestExchange=" + requestExchange + '}';
    }

    /** Builds {@link SyncClientOptions}. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private String host = "localhost";
        private int port;
        private String virtualHost = "/";
        private String username = "guest";
        private String password = "guest";
        private boolean tls;
        private String requestQueue = DEFAULT_REQUEST_QUEUE;
        private Duration callTimeout = Duration.ofSeconds(30);
        private boolean requestExpiration = true;
        private String connectionName = "syncservice-client";
        private Duration recoveryInterval = Duration.ofSeconds(5);
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration checkInterval = Duration.ofMinutes(10);
        private int digestCheckAttempts = 3;
        private String loginUsername;
        private String loginPassword = "";
        private String requestExchange = DEFAULT_REQUEST_EXCHANGE;

        private Builder() {
        }

        /**
         * Sets the broker's login-only user and its password (default: none), so that the client
         * switches to the device's own broker identity by itself where the server hands out broker
         * tokens; see {@link SyncClientOptions#loginUsername()}.
         */
        public Builder loginUser(String username, String password) {
            this.loginUsername = username;
            this.loginPassword = password;
            return this;
        }

        /** Sets the request exchange the login-only user publishes to first (default {@value SyncClientOptions#DEFAULT_REQUEST_EXCHANGE}). */
        public Builder requestExchange(String requestExchange) {
            this.requestExchange = requestExchange;
            return this;
        }

        /** Sets the broker host (default {@code localhost}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Sets the broker port (default 5672, or 5671 with TLS). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the virtual host (default {@code /}). */
        public Builder virtualHost(String virtualHost) {
            this.virtualHost = virtualHost;
            return this;
        }

        /** Sets the broker user name (default {@code guest}). */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** Sets the broker password (default {@code guest}). */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Enables TLS with certificate and host name verification (default off). */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Sets the service's request queue (default {@value SyncClientOptions#DEFAULT_REQUEST_QUEUE}). */
        public Builder requestQueue(String requestQueue) {
            this.requestQueue = requestQueue;
            return this;
        }

        /** Sets the default call timeout (default 30 s). */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        /**
         * Whether each request carries the call timeout as its AMQP {@code expiration}, so that the
         * broker drops a request no service instance took in time (default true). RabbitMQ reads it
         * as a time-to-live; other AMQP 0-9-1 brokers (Qpid Broker-J) read it as an absolute time
         * and would drop every request: set false there. The request's deadline still applies.
         */
        public Builder requestExpiration(boolean requestExpiration) {
            this.requestExpiration = requestExpiration;
            return this;
        }

        /** Sets the connection name shown by the broker (default {@code syncservice-client}). */
        public Builder connectionName(String connectionName) {
            this.connectionName = connectionName;
            return this;
        }

        /** Sets the interval between connection recovery attempts (default 5 s). */
        public Builder recoveryInterval(Duration recoveryInterval) {
            this.recoveryInterval = recoveryInterval;
            return this;
        }

        /**
         * Sets how often the listener polls while push is unavailable (default 30 s, at least
         * {@value SyncClientOptions#MIN_POLL_INTERVAL_MS} ms, so a fleet of devices does not load
         * the service with calls that mostly find nothing).
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Sets how often the listener catches up while push works (default 10 min, at least
         * {@value SyncClientOptions#MIN_POLL_INTERVAL_MS} ms): one {@code get_changes} per tracked
         * workspace, which finds nothing unless a notification was missed or the service's
         * database was restored.
         */
        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
            return this;
        }

        /**
         * Sets how many digest checks the listener tries after catching up before it gives up until
         * the next catch-up (default 3, at most {@value SyncClientOptions#MAX_DIGEST_CHECK_ATTEMPTS};
         * 0 turns the checks off).
         */
        public Builder digestCheckAttempts(int digestCheckAttempts) {
            this.digestCheckAttempts = digestCheckAttempts;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public SyncClientOptions build() {
            requireText("host", host);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: expected 1..65535 (or 0 for the default), got " + port);
            }
            requireText("virtualHost", virtualHost);
            requireText("username", username);
            Objects.requireNonNull(password, "password: expected a value, got null");
            requireText("requestQueue", requestQueue);
            if (requestQueue.length() > 255) {
                throw new IllegalArgumentException("requestQueue: expected at most 255 characters");
            }
            if (loginUsername != null) {
                requireText("loginUsername", loginUsername);
                Objects.requireNonNull(loginPassword, "loginPassword: expected a value, got null");
            }
            requireText("requestExchange", requestExchange);
            requirePositive("callTimeout", callTimeout);
            requireText("connectionName", connectionName);
            requirePositive("recoveryInterval", recoveryInterval);
            requireInterval("pollInterval", pollInterval);
            requireInterval("checkInterval", checkInterval);
            if (digestCheckAttempts < 0 || digestCheckAttempts > MAX_DIGEST_CHECK_ATTEMPTS) {
                throw new IllegalArgumentException("digestCheckAttempts: expected 0.." + MAX_DIGEST_CHECK_ATTEMPTS
                        + ", got " + digestCheckAttempts);
            }
            return new SyncClientOptions(this);
        }

        private static void requireText(String key, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(key + ": expected a non-empty value, got " + value);
            }
        }

        private static void requireInterval(String name, Duration interval) {
            requirePositive(name, interval);
            if (interval.toMillis() < MIN_POLL_INTERVAL_MS) {
                throw new IllegalArgumentException(name + ": expected at least " + MIN_POLL_INTERVAL_MS + " ms, got "
                        + interval);
            }
        }

        private static void requirePositive(String key, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(key + ": expected a positive duration, got " + value);
            }
        }
    }
}
