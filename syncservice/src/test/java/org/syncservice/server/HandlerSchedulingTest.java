package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Request.OperationCase;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.rpc.HandlerRegistry;
import org.syncservice.server.rpc.OperationHandler.Scheduling;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.notify.NotificationRoutes;
import org.syncservice.server.testing.NoDeviceQueues;
import org.syncservice.server.testing.SigningKeys;
import org.syncservice.server.transport.amqp.BrokerTokens;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/** How the handler registry the service builds schedules each operation it serves. */
class HandlerSchedulingTest {

    @Test
    void onlyCommitsAreGroupedOnTheCommitWorkerAndEveryOtherOperationGoesToThePool() throws Exception {
        try (TestDatabase database = TestDatabase.create(); SigningKeys keys = SigningKeys.create()) {
            ServiceConfig config = TestComponents.config(database,
                    Map.of("auth.broker-signing-key-file", keys.privateKeyFile().toString()));
            // With everything the service may serve: device queues, and broker tokens.
            ServiceComponents components = new ServiceComponents(database.dataSource(), config,
                    new InMemoryChunkStorage(config.storage().backend()), Clock.systemUTC(), new NoDeviceQueues(),
                    () -> { }, BrokerTokens.configured(config, new NotificationRoutes("n"), Clock.systemUTC()),
                    java.util.Optional.empty());
            HandlerRegistry registry = SyncService.handlers(components, config, "test", Clock.systemUTC(),
                    BatchObserver.NONE);

            Map<OperationCase, Scheduling> scheduling = new EnumMap<>(OperationCase.class);
            for (OperationCase operation : registry.operations()) {
                scheduling.put(operation, registry.find(operation).orElseThrow().scheduling());
            }

            assertThat(scheduling).as("every operation of the protocol is served")
                    .hasSize(OperationCase.values().length - 1);
            assertThat(scheduling).containsEntry(OperationCase.COMMIT, Scheduling.TOGETHER);
            // The operations that write outbox rows are wrapped to wake the publisher; they call the
            // storage back-end or hash passwords, and must not hold up the commits behind them.
            for (OperationCase slow : new OperationCase[] {OperationCase.SHARE_FOLDER, OperationCase.UNSHARE_FOLDER,
                    OperationCase.UPDATE_WORKSPACE, OperationCase.UNREGISTER_DEVICE, OperationCase.RESTORE_VERSION,
                    OperationCase.LOGIN}) {
                assertThat(scheduling).as(slow.name()).containsEntry(slow, Scheduling.APART);
            }
            scheduling.remove(OperationCase.COMMIT);
            assertThat(scheduling.values()).as("everything but commit").containsOnly(Scheduling.APART);
        }
    }
}
