package org.syncservice.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorages;
import org.syncservice.server.store.jdbc.DataSources;

/**
 * The benchmark's users and their devices: users are created in the service's database with the
 * service's own wiring (as the admin command does), devices log in through the protocol. Each
 * device has its own client connection and token, as real devices do.
 */
final class Fleet implements AutoCloseable {
    private static final long QUOTA = 1L << 50;

    private final List<Device> committers = new ArrayList<>();
    private final List<Device> listeners = new ArrayList<>();
    private SyncClientOptions clientOptions;

    /** One logged-in device of a user, with its default workspace. */
    record Device(UUID userId, UUID workspaceId, String deviceId, SyncClient client) {
    }

    static Fleet create(ServiceConfig config, BenchOptions options) throws Exception {
        Fleet fleet = new Fleet();
        String run = UUID.randomUUID().toString().substring(0, 8);
        SyncClientOptions clientOptions = fleet.clientOptions = SyncClientOptions.builder()
                .host(config.amqp().host())
                .port(config.amqp().port())
                .virtualHost(config.amqp().virtualHost())
                .username(config.amqp().user())
                .password(config.amqp().password().reveal())
                .tls(config.amqp().tls())
                .requestQueue(config.amqp().requestQueue())
                .callTimeout(Duration.ofSeconds(30))
                .build();
        try (HikariDataSource dataSource = DataSources.pooled(config.database(), "bench-setup");
             ChunkStorage storage = ChunkStorages.create(config.storage(), Clock.systemUTC())) {
            storage.start();
            ServiceComponents components = new ServiceComponents(dataSource, config, storage, Clock.systemUTC());
            for (int u = 0; u < options.users(); u++) {
                String email = "bench-" + run + "-" + u + "@bench.invalid";
                String password = "bench-" + UUID.randomUUID();
                CreatedUser user = components.accounts().createUser(email, "bench user " + u, password, QUOTA);
                for (int d = 0; d < options.devicesPerUser() + options.listenersPerUser(); d++) {
                    SyncClient client = SyncClient.connect(clientOptions.toBuilder()
                            .connectionName("bench-" + run + "-" + u + "-" + d).build());
                    LoginResponse login = client.login(LoginRequest.newBuilder().setEmail(email)
                            .setPassword(password).setDeviceName("bench device " + d).setOs("bench").build());
                    Device device = new Device(user.userId(), user.defaultWorkspaceId(), login.getDeviceId(), client);
                    (d < options.devicesPerUser() ? fleet.committers : fleet.listeners).add(device);
                }
                if (u == 0 && options.populate() > 0) {
                    long started = System.nanoTime();
                    Populator.populate(dataSource, user.defaultWorkspaceId(), options.populate());
                    System.out.printf(java.util.Locale.ROOT, "loaded %d items into one workspace and analysed in %.1f s%n",
                            options.populate(), (System.nanoTime() - started) / 1e9);
                }
            }
        }
        return fleet;
    }

    /** How the fleet's devices reach the broker. */
    SyncClientOptions clientOptions() {
        return clientOptions;
    }

    List<Device> committers() {
        return committers;
    }

    List<Device> listeners() {
        return listeners;
    }

    @Override
    public void close() {
        for (Device device : committers) {
            device.client().close();
        }
        for (Device device : listeners) {
            device.client().close();
        }
    }
}
