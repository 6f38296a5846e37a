package org.syncservice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the embedded mode starts and stops as a process: signals, busy ports, a kill -9 and the restart after it. */
class EmbeddedLifecycleTest {
    @TempDir
    Path dir;

    @AfterEach
    void noPostgresLeftRunning() throws Exception {
        // Whatever a test did, it leaves no server running on its directories.
        LocalPostgres.stopOrphan(dir.resolve("data").resolve("postgres"));
    }

    @Test
    void aStopSignalStopsEverythingInOrderAndExitsZeroWithoutFatalLines() throws Exception {
        try (EmbeddedProcess embedded = EmbeddedProcess.start(dir.resolve("data"), 0, dir.resolve("out.log"))
                .awaitRunning()) {
            embedded.terminate();

            assertThat(embedded.awaitExit()).as(embedded.output()).isZero();
            assertThat(embedded.output()).doesNotContain("FATAL").contains("syncservice stopped");
            assertThat(LocalPostgres.orphan(dir.resolve("data").resolve("postgres"))).isEmpty();
        }
    }

    @Test
    void aBusyPortRefusesToStartWithOneLineNamingItBeforeStartingAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             EmbeddedProcess embedded = EmbeddedProcess.start(dir.resolve("data"), taken.getLocalPort(),
                     dir.resolve("out.log"))) {
            assertThat(embedded.awaitExit()).isEqualTo(1);

            assertThat(embedded.output().lines()).singleElement().asString()
                    .contains("port " + taken.getLocalPort(), "in use", "SYNCSERVICE_EMBEDDED_AMQP_PORT");
            assertThat(dir.resolve("data")).doesNotExist();
        }
    }

    @Test
    void aRestartAfterKill9StopsThePostgresTheKilledProcessLeftAndStarts() throws Exception {
        Path data = dir.resolve("data");
        Optional<ProcessHandle> left;
        try (EmbeddedProcess killed = EmbeddedProcess.start(data, 0, dir.resolve("killed.log")).awaitRunning()) {
            killed.kill();
            left = LocalPostgres.orphan(data.resolve("postgres"));
            assertThat(left).as("the killed process's PostgreSQL").isPresent();
        }

        try (EmbeddedSyncService restarted = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"))) {
            restarted.start();

            assertThat(left.get().isAlive()).isFalse();
            assertThat(restarted.demoUserCreated()).as("the data of the killed run is still there").isFalse();
            assertThat(restarted.service().components().status().schemaVersion()).as("a schema, migrated")
                    .isPositive();
        }
    }

    @Test
    void aSecondInstanceOnTheSameDataDirectoryRefusesToStart() throws Exception {
        Path data = dir.resolve("data");
        try (EmbeddedSyncService first = new EmbeddedSyncService(new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"));
             EmbeddedSyncService second = new EmbeddedSyncService(
                     new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"))) {
            first.start();

            assertThatThrownBy(second::start).isInstanceOf(EmbeddedStartupException.class)
                    .hasMessageContaining(data.toString()).hasMessageContaining("in use by another embedded instance");
            assertThat(first.service().isHealthy()).isTrue();
        }
    }
}
