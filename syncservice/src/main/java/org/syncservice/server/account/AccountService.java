package org.syncservice.server.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.auth.DeviceTokens;
import org.syncservice.server.auth.PasswordHasher;
import org.syncservice.server.auth.TokenHash;
import org.syncservice.server.auth.TokenRevocations;
import org.syncservice.server.core.EmailAddresses;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.workspace.NewWorkspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and devices: provisioning, login, device management and account info. Knows neither the
 * wire format nor SQL. Thread-safe.
 */
public final class AccountService {
    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    /** The one answer to a failed login: it does not tell an unknown email from a wrong password. */
    public static final String WRONG_CREDENTIALS = "wrong email or password";
    /** The name and mount point a user's default workspace starts with; the user may change them. */
    public static final String DEFAULT_WORKSPACE_NAME = "default";
    static final int MAX_PASSWORD_CHARS = PasswordPolicy.MAX_CHARS;
    static final int MAX_EMAIL_CHARS = 254;

    private final AccountStore store;
    private final PasswordHasher passwords;
    private final PasswordPolicy passwordPolicy;
    private final PasswordCheckGate checks;
    private final DeviceTokens tokens;
    private final TokenRevocations revocations;
    private final StorageLayout storageLayout;
    private final ChunkStorage storage;

    public AccountService(AccountStore store, PasswordHasher passwords, PasswordPolicy passwordPolicy,
                          PasswordCheckGate checks, DeviceTokens tokens, TokenRevocations revocations,
                          StorageLayout storageLayout, ChunkStorage storage) {
        this.store = store;
        this.passwords = passwords;
        this.passwordPolicy = passwordPolicy;
        this.checks = checks;
        this.tokens = tokens;
        this.revocations = revocations;
        this.storageLayout = storageLayout;
        this.storage = storage;
    }

    /**
     * Creates a user with their default workspace (named {@value #DEFAULT_WORKSPACE_NAME}, mounted at
     * the sync root), in one transaction. For admin commands and tests; no RPC creates users.
     *
     * <p>Order: the workspace's place in storage is provisioned first, then the rows are written.
     * A storage failure therefore leaves nothing behind (no user without storage). When the rows
     * cannot be written, the place, which nothing else can name (the workspace id is new), is
     * removed again; should that removal fail too, an empty orphan place remains, which is
     * harmless and logged.
     *
     * @throws ServiceException CONFLICT when a user with the email exists, INVALID_ARGUMENT for a bad
     *         value, UNAVAILABLE when storage or the database cannot be reached
     */
    public CreatedUser createUser(String email, String name, String password, long quotaLimitBytes) {
        String normalizedEmail = normalizeEmail(email);
        if (normalizedEmail.length() < 3 || normalizedEmail.length() > MAX_EMAIL_CHARS
                || normalizedEmail.indexOf('@') <= 0 || normalizedEmail.chars().anyMatch(c -> c <= ' ')) {
            throw ServiceException.invalidArgument("email", "not a valid email address: " + email);
        }
        if (name.isEmpty() || name.length() > 255 || name.chars().anyMatch(Character::isISOControl)) {
            throw ServiceException.invalidArgument("name", "a user name is 1 to 255 characters without control characters");
        }
        passwordPolicy.check("password", password);
        if (quotaLimitBytes < 0) {
            throw ServiceException.invalidArgument("quota", "a quota must not be negative");
        }
        UUID userId = UUID.randomUUID();
        UUID workspaceId = UUID.randomUUID();
        NewUser user = new NewUser(userId, normalizedEmail, name, passwords.hash(password), quotaLimitBytes);
        StorageLocation location = storageLayout.locationFor(workspaceId);
        NewWorkspace workspace = new NewWorkspace(workspaceId, userId, true, DEFAULT_WORKSPACE_NAME, "", location);
        storage.provision(location);
        boolean created = false;
        try {
            created = store.createUser(user, workspace);
        } finally {
            if (!created) {
                removeUnused(location, workspaceId);
            }
        }
        if (!created) {
            throw ServiceException.conflict("a user with email " + normalizedEmail + " exists");
        }
        log.info("created user {} ({}) with default workspace {}", userId, normalizedEmail, workspaceId);
        return new CreatedUser(userId, workspaceId);
    }

    /**
     * Checks email and password, then registers a new device or re-uses the named one, issuing a
     * fresh token. The device's previous token stops working.
     */
    public LoginResult login(LoginAttempt attempt) {
        if (attempt.email().isEmpty()) {
            throw ServiceException.invalidArgument("login.email", "login.email is required");
        }
        if (attempt.password().isEmpty()) {
            throw ServiceException.invalidArgument("login.password", "login.password is required");
        }
        EmailAddresses.requirePlain("login.email", attempt.email());
        if (attempt.email().length() > MAX_EMAIL_CHARS || attempt.password().length() > MAX_PASSWORD_CHARS) {
            // Cannot match any account; answered like any other failure.
            throw ServiceException.unauthenticated(WRONG_CREDENTIALS);
        }
        DeviceDetails details = attempt.deviceId().isPresent()
                ? DeviceFields.forRelogin(attempt.deviceName(), attempt.os(), attempt.appVersion())
                : DeviceFields.forRegistration(attempt.deviceName(), attempt.os(), attempt.appVersion());
        DeviceFields.check("login", "device_name", details);

        String email = normalizeEmail(attempt.email());
        Optional<UserCredentials> credentials = store.findCredentials(email);
        boolean matches = checks.check(email, () -> credentials.isPresent()
                ? passwords.verify(attempt.password(), credentials.get().passwordHash())
                : passwords.verifyAgainstDummy(attempt.password()));
        if (!matches) {
            log.info("login refused for request {}", attempt.requestId());
            throw ServiceException.unauthenticated(WRONG_CREDENTIALS);
        }
        UUID userId = credentials.get().userId();
        upgradeHashIfDue(userId, credentials.get().passwordHash(), attempt.password());

        String token = tokens.issue();
        TokenHash tokenHash = TokenHash.of(token);
        TokenRotation rotation;
        if (attempt.deviceId().isPresent()) {
            rotation = store.rotateToken(userId, attempt.deviceId().get(), tokenHash, details)
                    .orElseThrow(() -> ServiceException.notFound("no such device"));
        } else {
            NewDevice device = new NewDevice(UUID.randomUUID(), userId, attempt.requestId(),
                    details.name().orElseThrow(), details.os().orElseThrow(), details.appVersion().orElseThrow(),
                    tokenHash);
            rotation = store.registerDevice(device).orElseThrow(() -> ServiceException.conflict(
                    "the device this request registered has been unregistered; log in with a new request_id"));
        }
        rotation.previousToken().ifPresent(revocations::revoked);
        Account account = accountInfo(userId);
        if (rotation.registered()) {
            log.info("user {} registered device {} (request {})", userId, rotation.deviceId(), attempt.requestId());
        } else {
            log.info("user {} logged in again on device {} (request {})", userId, rotation.deviceId(),
                    attempt.requestId());
        }
        return new LoginResult(userId, rotation.deviceId(), token, rotation.registered(), account);
    }

    /**
     * Hashes the password again when its stored hash was made with other parameters than today's
     * (auth.password-hash-iterations raised, say). Only a login knows the password, so this is the
     * moment. The replacement is conditional on the hash being unchanged (a password changed
     * meanwhile wins), and a failure to store it costs nothing but the next login's retry.
     */
    private void upgradeHashIfDue(UUID userId, String storedHash, String password) {
        if (!passwords.needsRehash(storedHash)) {
            return;
        }
        try {
            if (store.setPassword(userId, Optional.of(storedHash), passwords.hash(password), SignOut.nobody())
                    .isPresent()) {
                log.info("the password hash of user {} was upgraded to the configured parameters", userId);
            }
        } catch (RuntimeException e) {
            log.warn("could not upgrade the password hash of user {}: {}", userId, e.toString());
        }
    }

    /**
     * Sets a new password for the calling user, who proves they know the current one. The user's
     * other devices are signed out unless {@code keepOtherDevices}; this device stays signed in.
     * A retry of a change that was applied (the current password no longer matches, the new one
     * does) signs out what is still signed in and succeeds: the same resulting state.
     *
     * @return how many devices this call signed out
     * @throws ServiceException INVALID_ARGUMENT naming the field for a wrong current password or
     *     a new one the policy refuses; CONFLICT when the password changed meanwhile
     */
    public int changePassword(UUID userId, UUID deviceId, String currentPassword, String newPassword,
                              boolean keepOtherDevices) {
        if (currentPassword.isEmpty()) {
            throw ServiceException.invalidArgument("change_password.current_password",
                    "change_password.current_password is required");
        }
        passwordPolicy.check("change_password.new_password", newPassword);
        String stored = store.passwordHash(userId)
                .orElseThrow(() -> ServiceException.unauthenticated("the account no longer exists"));
        // Both verifications pass the gate: a caller with a token must not get hashes for free.
        // The new password matching the stored one is the retry of an applied change.
        boolean[] current = {false};
        boolean known = checks.check("user " + userId, () -> {
            current[0] = currentPassword.length() <= MAX_PASSWORD_CHARS && passwords.verify(currentPassword, stored);
            return current[0] || passwords.verify(newPassword, stored);
        });
        if (!known) {
            log.info("password change of user {} refused: wrong current password", userId);
            throw ServiceException.invalidArgument("change_password.current_password", "the current password is wrong");
        }
        SignOut signOut = keepOtherDevices ? SignOut.nobody() : SignOut.everyDeviceBut(deviceId);
        String newHash = current[0] ? passwords.hash(newPassword) : stored;
        List<TokenHash> signedOut = store.setPassword(userId, Optional.of(stored), newHash, signOut)
                .orElseThrow(() -> ServiceException.conflict("the password was changed meanwhile; try again"));
        signedOut.forEach(revocations::revoked);
        log.info("user {} changed their password on device {}; {} other devices signed out", userId, deviceId,
                signedOut.size());
        return signedOut.size();
    }

    /**
     * Sets a user's password for an operator (a forgotten password) and signs out every device
     * of the user: each logs in again with the new password.
     *
     * @return how many devices were signed out
     * @throws ServiceException NOT_FOUND for an unknown email, INVALID_ARGUMENT for a password the
     *     policy refuses
     */
    public int resetPassword(String email, String newPassword) {
        passwordPolicy.check("password", newPassword);
        UUID userId = userIdForEmail(email);
        List<TokenHash> signedOut = store.setPassword(userId, Optional.empty(), passwords.hash(newPassword),
                        SignOut.everyDevice())
                .orElseThrow(() -> ServiceException.notFound("no user with email " + normalizeEmail(email)));
        signedOut.forEach(revocations::revoked);
        log.info("the password of user {} was reset; {} devices signed out", userId, signedOut.size());
        return signedOut.size();
    }

    public Account accountInfo(UUID userId) {
        // The caller's token proved the user exists; a user deleted since is the same as an unknown token.
        return store.findAccount(userId).orElseThrow(() -> ServiceException.unauthenticated("the account no longer exists"));
    }

    /** Changes the calling device's description (unset values stay) and records it as seen. */
    public DeviceInfo updateDevice(UUID userId, UUID deviceId, DeviceDetails details) {
        DeviceFields.check("update_device", "name", details);
        return store.updateDevice(userId, deviceId, details)
                .orElseThrow(() -> ServiceException.unauthenticated("the device was unregistered"));
    }

    /**
     * Unregisters a device of the user (the caller's own device or another of theirs). Its token
     * stops working on this instance at once. Unregistering an already unregistered device of the
     * user succeeds; another user's device, or an unknown one, is NOT_FOUND.
     */
    public void unregisterDevice(UUID userId, UUID deviceId) {
        Revocation revocation = store.revokeDevice(userId, deviceId)
                .orElseThrow(() -> ServiceException.notFound("no such device"));
        revocation.previousToken().ifPresent(revocations::revoked);
        if (!revocation.alreadyRevoked()) {
            log.info("user {} unregistered device {}", userId, deviceId);
        }
    }

    public List<DeviceInfo> listDevices(UUID userId) {
        return store.listDevices(userId);
    }

    private void removeUnused(StorageLocation location, UUID workspaceId) {
        try {
            storage.remove(location);
        } catch (RuntimeException e) {
            log.warn("cannot remove the storage of workspace {}, which was never created: {} (an empty place remains)",
                    workspaceId, e.toString());
        }
    }

    /**
     * The id of the user with this email.
     *
     * @throws ServiceException NOT_FOUND when there is none
     */
    public UUID userIdForEmail(String email) {
        String normalized = normalizeEmail(email);
        return store.findUserId(normalized)
                .orElseThrow(() -> ServiceException.notFound("no user with email " + normalized));
    }

    /** Every user with quota and counts, ordered by email. For admin commands. */
    public List<UserSummary> listUsers() {
        return store.listUsers();
    }

    /**
     * Sets the user's quota limit. A limit below what the user already uses is allowed: it refuses
     * further growth, it deletes nothing.
     */
    public void setQuota(String email, long quotaLimitBytes) {
        if (quotaLimitBytes < 0) {
            throw ServiceException.invalidArgument("quota", "a quota must not be negative");
        }
        UUID userId = userIdForEmail(email);
        if (!store.setQuotaLimit(userId, quotaLimitBytes)) {
            throw ServiceException.notFound("no user with email " + normalizeEmail(email));
        }
        log.info("quota of user {} set to {} bytes", userId, quotaLimitBytes);
    }

    /**
     * Deletes the user, their devices, the workspaces they own and everything in them, in one
     * transaction. Their device tokens stop working at once on this instance and, on other
     * instances, within {@code auth.token-cache-ttl}. Then the workspaces' places in storage are
     * removed: after the commit, so a failed deletion never loses chunks of a user who still
     * exists. A place that cannot be removed is logged and left ({@link DeletedUser#storageLeft()}).
     */
    public DeletedUser deleteUser(String email) {
        UUID userId = userIdForEmail(email);
        DeletedUser deleted = store.deleteUser(userId)
                .orElseThrow(() -> ServiceException.notFound("no user with email " + normalizeEmail(email)));
        log.info("deleted user {} ({} devices, {} workspaces, {} items)", userId, deleted.devices(),
                deleted.workspaces(), deleted.items());
        List<StorageLocation> left = new ArrayList<>();
        for (StorageLocation location : deleted.storage()) {
            try {
                storage.remove(location);
            } catch (RuntimeException e) {
                left.add(location);
                log.warn("cannot remove the storage of a workspace of deleted user {} at {}: {}", userId,
                        location, e.toString());
            }
        }
        return deleted.leaving(left);
    }

    static String normalizeEmail(String email) {
        return EmailAddresses.normalize(email);
    }
}
