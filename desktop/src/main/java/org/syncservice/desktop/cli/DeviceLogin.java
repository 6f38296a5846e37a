package org.syncservice.desktop.cli;

import java.util.List;
import java.util.Optional;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.engine.Retries;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.UpdateDeviceRequest;
import org.syncservice.protocol.v1.Workspace;

/**
 * Gives a connected client its device token: the stored credential's, checked against the
 * service, or a fresh login (the first run, or {@code --login}), which asks for the password.
 * A login again re-identifies the stored device instead of registering another, unless the
 * service no longer knows it. Also settles which workspace the folder mirrors: a folder mirrors
 * one workspace for good, so a later {@code --workspace} must name the same one. Immutable.
 */
final class DeviceLogin {
    private final CliEnvironment environment;

    DeviceLogin(CliEnvironment environment) {
        this.environment = environment;
    }

    /**
     * Authenticates the client for a folder.
     *
     * @param client the connected client; its token is set on return
     * @param sync the command line
     * @param server the broker the client is connected to
     * @param stored the folder's stored credential, if any
     * @return the credential to store
     * @throws CliFailure when the stored credential was revoked or the login failed
     * @throws UsageException when the command line contradicts the stored credential
     */
    DeviceCredential authenticate(SyncClient client, Command.Sync sync, BrokerAddress server,
                                  Optional<DeviceCredential> stored) {
        stored.ifPresent(credential -> sync.email().filter(email -> !email.equals(credential.email()))
                .ifPresent(email -> {
                    throw new UsageException("this folder is synced for " + credential.email()
                            + "; a folder belongs to one account");
                }));
        if (stored.isPresent() && !sync.login()) {
            return reuse(client, sync, stored.get());
        }
        return login(client, sync, server, stored);
    }

    private DeviceCredential reuse(SyncClient client, Command.Sync sync, DeviceCredential credential) {
        client.setToken(credential.token());
        List<Workspace> workspaces;
        try {
            workspaces = client.listWorkspaces().getWorkspacesList();
        } catch (SyncServiceException e) {
            if (e.code() == ErrorCode.ERROR_CODE_UNAUTHENTICATED) {
                throw new CliFailure("this device's credential was revoked or has expired: run again with --login "
                        + "to log in again");
            }
            throw e;
        }
        Workspace workspace = stayWithWorkspace(workspaces, credential, sync.workspace());
        DeviceCredential current = new DeviceCredential(credential.server(), credential.email(), credential.userId(),
                credential.deviceId(), credential.deviceName(), credential.token(), workspace.getWorkspaceId(),
                workspace.getName(), credential.loginUser());
        Optional<String> rename = sync.deviceName().filter(name -> !name.equals(credential.deviceName()));
        if (rename.isPresent()) {
            String name = client.updateDevice(UpdateDeviceRequest.newBuilder().setName(rename.get()).build())
                    .getDevice().getName();
            return withDeviceName(current, name);
        }
        return current;
    }

    private DeviceCredential login(SyncClient client, Command.Sync sync, BrokerAddress server,
                                   Optional<DeviceCredential> stored) {
        String email = sync.email().or(() -> stored.map(DeviceCredential::email))
                .orElseThrow(() -> new UsageException("missing --email (needed to log in the first time)"));
        String deviceName = sync.deviceName().or(() -> stored.map(DeviceCredential::deviceName))
                .orElseGet(environment.hostName());
        LoginRequest.Builder request = LoginRequest.newBuilder()
                .setEmail(email)
                .setPassword(PasswordSource.read(environment, email))
                .setDeviceId(stored.map(DeviceCredential::deviceId).orElse(""))
                .setDeviceName(deviceName)
                .setOs(System.getProperty("os.name", ""))
                .setAppVersion("syncservice-desktop " + Versions.current());
        LoginResponse response;
        try {
            response = loginOnce(client, request);
        } catch (SyncServiceException e) {
            if (e.code() != ErrorCode.ERROR_CODE_NOT_FOUND || request.getDeviceId().isEmpty()) {
                throw e;
            }
            // The stored device was unregistered: this becomes a new device.
            response = loginOnce(client, request.setDeviceId(""));
        }
        client.setToken(response.getToken());
        List<Workspace> workspaces = client.listWorkspaces().getWorkspacesList();
        Workspace workspace = stored.isPresent()
                ? stayWithWorkspace(workspaces, stored.get(), sync.workspace())
                : WorkspaceChoice.choose(workspaces, response.getUserId(), sync.workspace());
        return new DeviceCredential(server.url(), email, response.getUserId(), response.getDeviceId(), deviceName,
                response.getToken(), workspace.getWorkspaceId(), workspace.getName(), server.loginUser().orElse(""));
    }

    /**
     * One login, retried while the service asks to (it throttles password checks: after failed
     * attempts, or while it checks many at once), under one request id so that a retry registers
     * no second device.
     */
    private static LoginResponse loginOnce(SyncClient client, LoginRequest.Builder request) {
        String requestId = SyncClient.newRequestId();
        try {
            return Retries.call(() -> client.login(request.build(), requestId));
        } catch (SyncServiceException e) {
            if (e.code() == ErrorCode.ERROR_CODE_UNAUTHENTICATED) {
                throw new CliFailure("login refused: wrong email or password");
            }
            throw e;
        }
    }

    /** The folder's workspace, which a {@code --workspace} may name but not change. */
    private static Workspace stayWithWorkspace(List<Workspace> workspaces, DeviceCredential credential,
                                               Optional<String> asked) {
        Workspace workspace = workspaces.stream().filter(w -> w.getWorkspaceId().equals(credential.workspaceId()))
                .findFirst()
                .orElseThrow(() -> new CliFailure("the workspace '" + credential.workspaceName()
                        + "' this folder mirrors is gone, or no longer shared with you"));
        if (asked.isPresent() && !asked.get().equals(workspace.getName())) {
            Workspace other = WorkspaceChoice.choose(workspaces, credential.userId(), asked);
            if (!other.getWorkspaceId().equals(workspace.getWorkspaceId())) {
                throw new UsageException("this folder mirrors the workspace '" + workspace.getName()
                        + "'; sync another folder to mirror '" + asked.get() + "'");
            }
        }
        return workspace;
    }

    private static DeviceCredential withDeviceName(DeviceCredential c, String name) {
        return new DeviceCredential(c.server(), c.email(), c.userId(), c.deviceId(), name, c.token(),
                c.workspaceId(), c.workspaceName(), c.loginUser());
    }
}
