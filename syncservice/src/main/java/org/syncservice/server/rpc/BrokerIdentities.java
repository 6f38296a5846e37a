package org.syncservice.server.rpc;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.protocol.v1.Request;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;

/**
 * Ties a request to the broker identity that published it. RabbitMQ refuses a publish whose AMQP
 * {@code user_id} is not the publishing connection's user, so a request's {@code user_id} names
 * who the broker authenticated; this rule makes the RPC layer trust no more than that:
 * <ul>
 *   <li>a device's broker user ({@code device.<device_id>}) may only present that device's
 *       token: device A's connection carrying device B's token is refused;</li>
 *   <li>the login-only user may only call {@code login}, {@code get_server_info} and
 *       {@code refresh_broker_token} (with a device token);</li>
 *   <li>any other broker user is one an operator made in the broker's own user database (the
 *       service's, a legacy client's) and is served as before;</li>
 *   <li>a request without {@code user_id} is refused when {@code auth.require-broker-user-id} is
 *       set (every client on a broker that authenticates devices), and served otherwise.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class BrokerIdentities {
    /** The prefix of a device's broker user; the rest is its device id. */
    public static final String DEVICE_USER_PREFIX = "device.";

    /**
     * What the login-only user may call. refresh_broker_token is how a device that kept its device
     * token (but has no valid broker token) gets back its own broker identity; it needs that device
     * token, which is worth as much as anything the token then lets it do at the broker.
     */
    private static final Set<Request.OperationCase> BEFORE_LOGIN = Set.of(Request.OperationCase.LOGIN,
            Request.OperationCase.GET_SERVER_INFO, Request.OperationCase.REFRESH_BROKER_TOKEN);

    private final boolean userIdRequired;
    private final String loginUser;

    /**
     * @param userIdRequired refuse requests that name no publishing broker user
     * @param loginUser the broker's login-only user
     */
    public BrokerIdentities(boolean userIdRequired, String loginUser) {
        this.userIdRequired = userIdRequired;
        this.loginUser = loginUser;
    }

    /** The rule of a service whose broker gives no client an identity of its own. */
    public static BrokerIdentities unchecked() {
        return new BrokerIdentities(false, null);
    }

    /** The broker user of a device: what its token authenticates and its requests' user_id. */
    public static String deviceUser(UUID deviceId) {
        return DEVICE_USER_PREFIX + deviceId;
    }

    /** The device a broker user stands for, or null when it is not a device's. */
    public static UUID deviceOf(String brokerUser) {
        if (brokerUser == null || !brokerUser.startsWith(DEVICE_USER_PREFIX)) {
            return null;
        }
        try {
            UUID id = UUID.fromString(brokerUser.substring(DEVICE_USER_PREFIX.length()));
            // UUID.fromString accepts other spellings of the same id; only the one issued counts.
            return deviceUser(id).equals(brokerUser) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * @param publisher the request's AMQP user_id, or null
     * @param principal the authenticated caller, empty for operations that need no token
     * @throws ServiceException UNAUTHENTICATED or PERMISSION_DENIED saying which rule refused it
     */
    void check(String publisher, Request.OperationCase operation, Optional<Principal> principal) {
        if (publisher == null || publisher.isEmpty()) {
            if (userIdRequired) {
                throw ServiceException.unauthenticated(
                        "the request carries no AMQP user_id; this service requires the publishing broker user");
            }
            return;
        }
        if (publisher.equals(loginUser)) {
            if (!BEFORE_LOGIN.contains(operation)) {
                throw ServiceException.permissionDenied("the login-only broker identity may call only login,"
                        + " get_server_info and refresh_broker_token; connect with the device's broker token");
            }
            return;
        }
        if (publisher.startsWith(DEVICE_USER_PREFIX)) {
            UUID device = deviceOf(publisher);
            if (device == null) {
                throw ServiceException.unauthenticated("the AMQP user_id names no device");
            }
            if (principal.isPresent() && !principal.get().deviceId().equals(device)) {
                throw ServiceException.unauthenticated(
                        "the token is not the publishing device's: a device presents only its own token");
            }
        }
    }
}
