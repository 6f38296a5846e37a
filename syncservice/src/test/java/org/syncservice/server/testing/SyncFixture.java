package org.syncservice.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.server.account.CreatedUser;

/**
 * Users and logged-in devices on a {@link RunningService}, for tests that go through the whole
 * stack. Each call makes a new user with a workspace of its own, so tests do not share state.
 * Closing the fixture closes every client it opened. Not thread-safe: set up from one thread
 * (the devices it returns may then be used from several).
 */
public final class SyncFixture implements AutoCloseable {
    /** Quota of users made without one: large enough that no test meets it by accident. */
    public static final long DEFAULT_QUOTA_BYTES = 1L << 40;

    private final RunningService service;
    private final List<SyncClient> clients = new ArrayList<>();

    public SyncFixture(RunningService service) {
        this.service = service;
    }

    /** A user of their own with one logged-in device. */
    public SyncDevice newUser(String name) {
        return newUser(name, DEFAULT_QUOTA_BYTES);
    }

    public SyncDevice newUser(String name, long quotaBytes) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        String password = "pw-" + UUID.randomUUID();
        CreatedUser created = service.service().components().accounts()
                .createUser(email, name, password, quotaBytes);
        return login(new SyncDevice.Credentials(email, password, created.userId(), created.defaultWorkspaceId()),
                "laptop");
    }

    /** Another device of the same user, on a connection of its own. */
    public SyncDevice anotherDevice(SyncDevice device, String deviceName) {
        return login(device.credentials(), deviceName);
    }

    private SyncDevice login(SyncDevice.Credentials credentials, String deviceName) {
        SyncClient client = service.newClient();
        clients.add(client);
        LoginResponse login = client.login(LoginRequest.newBuilder().setEmail(credentials.email())
                .setPassword(credentials.password()).setDeviceName(deviceName).setOs("linux")
                .setAppVersion("1.0").build());
        return new SyncDevice(client, credentials, login.getDeviceId());
    }

    @Override
    public void close() {
        for (SyncClient client : clients) {
            client.close();
        }
        clients.clear();
    }
}
