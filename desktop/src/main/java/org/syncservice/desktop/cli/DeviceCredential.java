package org.syncservice.desktop.cli;

import java.util.Objects;

/**
 * What a device keeps from its login to sync a folder later without asking for the password.
 * Immutable; {@link #toString()} never shows the token.
 *
 * @param server the broker URL the device logged in through
 * @param email the user's e-mail
 * @param userId the user's id
 * @param deviceId the device's id
 * @param deviceName the device's name
 * @param token the device token, the secret
 * @param workspaceId the workspace the folder mirrors
 * @param workspaceName the workspace's name, for messages
 * @param loginUser the broker's login-only user the device logs in through before it switches to its
 *     own broker identity; empty when it connects as the broker user of {@code server}
 */
record DeviceCredential(String server, String email, String userId, String deviceId, String deviceName,
                        String token, String workspaceId, String workspaceName, String loginUser) {

    DeviceCredential {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(workspaceName, "workspaceName");
        Objects.requireNonNull(loginUser, "loginUser");
    }

    /** The same credential through {@code loginUser} (empty: none). */
    DeviceCredential withLoginUser(String loginUser) {
        return new DeviceCredential(server, email, userId, deviceId, deviceName, token, workspaceId, workspaceName,
                loginUser);
    }

    @Override
    public String toString() {
        return "DeviceCredential{server=" + server + ", email=" + email + ", userId=" + userId + ", deviceId="
                + deviceId + ", deviceName=" + deviceName + ", token=****, workspaceId=" + workspaceId
                + ", workspaceName=" + workspaceName + ", loginUser=" + loginUser + '}';
    }
}
