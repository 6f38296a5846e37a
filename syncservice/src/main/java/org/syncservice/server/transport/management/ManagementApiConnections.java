package org.syncservice.server.transport.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.config.AmqpConfig;
import org.syncservice.server.config.Secret;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.notify.DeviceConnections;
import org.syncservice.server.rpc.BrokerIdentities;

/**
 * Closes devices' broker connections through RabbitMQ's management HTTP API (rabbitmq_management):
 * {@code GET /api/connections/username/<device.id>} lists the connections of the device's broker
 * user (the subject of its token) on every node of the cluster, and, when it has some in the
 * service's virtual host, {@code DELETE} of the same resource with an {@code X-Reason} closes them
 * (the client gets CONNECTION_FORCED with that reason). A device's broker user exists for that
 * device only, so closing all of its connections closes no one else's. The password is sent in the Authorization
 * header only, never logged nor put in a message. Thread-safe.
 */
public final class ManagementApiConnections implements DeviceConnections {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String virtualHost;
    private final String authorization;
    private final HttpClient http;

    ManagementApiConnections(URI base, String virtualHost, String user, Secret password) {
        String url = base.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.virtualHost = Objects.requireNonNull(virtualHost);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ':' + password.reveal()).getBytes(StandardCharsets.UTF_8));
        // Redirects are not followed: they could carry the credentials elsewhere.
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What {@code amqp.management-*} ask for: {@link DeviceConnections#NONE} without a URL. */
    public static DeviceConnections configured(AmqpConfig amqp) {
        Optional<URI> url = amqp.managementUrl();
        return url.isEmpty() ? DeviceConnections.NONE
                : new ManagementApiConnections(url.get(), amqp.virtualHost(), amqp.managementUser(),
                        amqp.managementPassword());
    }

    @Override
    public int close(UUID deviceId, String reason) {
        String brokerUser = BrokerIdentities.deviceUser(deviceId);
        int open = connectionsOf(brokerUser).size();
        if (open == 0) {
            return 0;
        }
        // Per user, not per connection name: DELETE /api/connections/<name> looks the name up in the
        // statistics, which learn of a new connection only at their next collection (5 s by
        // default; 404 until then), while the per-user call closes the broker's tracked connections.
        String what = "closing the connections of " + brokerUser;
        HttpResponse<String> response = send(request("connections/username/" + segment(brokerUser)).DELETE()
                .header("X-Reason", reason).build(), what);
        if (response.statusCode() / 100 != 2 && response.statusCode() != 404) {
            throw refused(response, what);
        }
        return open;
    }

    @Override
    public String describe() {
        return "closed through the management API at " + base;
    }

    /** The names of the user's connections in the service's virtual host. */
    private List<String> connectionsOf(String brokerUser) {
        String what = "listing the connections of " + brokerUser;
        HttpResponse<String> response = send(request("connections/username/" + segment(brokerUser)).GET().build(),
                what);
        if (response.statusCode() == 404) {
            return List.of();
        }
        if (response.statusCode() != 200) {
            throw refused(response, what);
        }
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode connection : JSON.readTree(response.body())) {
                if (virtualHost.equals(connection.path("vhost").asText())
                        && brokerUser.equals(connection.path("user").asText())) {
                    names.add(connection.path("name").asText());
                }
            }
        } catch (IOException e) {
            throw ServiceException.unavailable("the broker management API answered " + what
                    + " with something other than JSON", Duration.ofSeconds(1), e);
        }
        return names;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve("api/" + path)).timeout(TIMEOUT)
                .header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ServiceException.unavailable("cannot reach the broker management API at " + base + " ("
                    + what + "): " + e, Duration.ofSeconds(1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceException.unavailable("interrupted while " + what, Duration.ofSeconds(1), e);
        }
    }

    private ServiceException refused(HttpResponse<String> response, String what) {
        // The body is the broker's short reason (e.g. not_authorised); it holds nothing of ours.
        String body = response.body() == null ? "" : response.body();
        return ServiceException.unavailable("the broker management API at " + base + " answered "
                + response.statusCode() + " to " + what + ": "
                + (body.length() > 200 ? body.substring(0, 200) : body), Duration.ofSeconds(1), null);
    }

    /** One path segment: connection names hold spaces and '>' ("127.0.0.1:5000 -> 127.0.0.1:5672"). */
    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
