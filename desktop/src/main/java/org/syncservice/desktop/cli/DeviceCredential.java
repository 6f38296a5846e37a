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
 */
record DeviceCredential(String server, String email, String userId, String deviceId, String deviceName,
                        String token, String workspaceId, String workspaceName) {

    DeviceCredential {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(workspaceName, "workspaceName");
    }

    @Override
    public String toString() {
        return "DeviceCredential{server=" + server + ", email=" + email + ", userId=" + userId + ", deviceId="
                + deviceId + ", deviceName=" + deviceName + ", token=****, workspaceId=" + workspaceId
                + ", workspaceName=" + workspaceName + '}';
    }
}
