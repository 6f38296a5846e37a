package org.syncservice.server.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.auth.TokenHash;
import org.syncservice.server.workspace.NewWorkspace;

/**
 * Storage of users and their devices. Implementations are thread-safe; each call is one
 * transaction; failures to reach storage are {@link org.syncservice.server.core.ServiceException}s
 * of kind UNAVAILABLE.
 */
public interface AccountStore {

    /**
     * Creates the user and their default workspace (with the user as its OWNER member) atomically.
     *
     * @return false, with nothing created, when a user with the email exists
     */
    boolean createUser(NewUser user, NewWorkspace defaultWorkspace);

    /** @param email lower-cased */
    Optional<UserCredentials> findCredentials(String email);

    Optional<Account> findAccount(UUID userId);

    /** The user's stored password hash; empty when there is no such user. */
    Optional<String> passwordHash(UUID userId);

    /**
     * Sets the user's password hash, while it is still {@code expectedHash} when one is given,
     * and signs out the devices {@code signOut} names (their tokens cleared), in one transaction.
     *
     * @return the signed-out devices' previous tokens; empty when there is no such user or the
     *     hash was changed meanwhile
     */
    Optional<List<TokenHash>> setPassword(UUID userId, Optional<String> expectedHash, String newHash,
                                                    SignOut signOut);


    /**
     * Registers a device, or, when the user already registered one with the same request id, gives
     * that device the new token instead (a retried login). Safe against two such calls racing.
     *
     * @return empty when the device the request id registered has since been unregistered
     */
    Optional<TokenRotation> registerDevice(NewDevice device);

    /**
     * Gives a registered, not revoked device of the user a new token and applies the details.
     *
     * @return empty when the user has no such device
     */
    Optional<TokenRotation> rotateToken(UUID userId, UUID deviceId, TokenHash newToken, DeviceDetails details);

    /**
     * Applies the details to a registered device of the user and records it as seen now.
     *
     * @return the device afterwards; empty when the user has no such registered device
     */
    Optional<DeviceInfo> updateDevice(UUID userId, UUID deviceId, DeviceDetails details);

    /**
     * Unregisters a device of the user: sets its revocation time, clears its token and queues a
     * DEVICE_REVOKED notification, in one transaction. Revoking a revoked device changes nothing.
     *
     * @return empty when the user has no device with this id
     */
    Optional<Revocation> revokeDevice(UUID userId, UUID deviceId);

    /** The user's registered devices, oldest first. */
    List<DeviceInfo> listDevices(UUID userId);

    /** @param email lower-cased */
    Optional<UUID> findUserId(String email);

    /** Every user, ordered by email. For admin commands. */
    List<UserSummary> listUsers();

    /** @return false when there is no such user */
    boolean setQuotaLimit(UUID userId, long quotaLimitBytes);

    /**
     * Deletes the user with their devices, the workspaces they own (with every item, version,
     * membership and stored answer in them) and their memberships of other workspaces, in one
     * transaction.
     *
     * @return empty when there is no such user
     */
    Optional<DeletedUser> deleteUser(UUID userId);
}
