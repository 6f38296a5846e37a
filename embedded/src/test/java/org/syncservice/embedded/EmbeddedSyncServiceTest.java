package org.syncservice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;

/** The embedded runner, end to end through the client SDK: the service runs on Qpid, embedded PostgreSQL and S3Proxy. */
class EmbeddedSyncServiceTest {

    @Test
    void aClientLogsInCommitsAndReadsChangesOnTheEmbeddedService(@TempDir Path data) throws Exception {
        try (EmbeddedSyncService embedded = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"))) {
            embedded.start();
            assertThat(embedded.demoUserCreated()).isTrue();
            SyncClientOptions options = SyncClientOptions.builder()
                    .host("127.0.0.1")
                    .port(embedded.amqpPort())
                    .username(embedded.config().amqp().user())
                    .password(embedded.config().amqp().password().reveal())
                    .requestQueue(embedded.config().amqp().requestQueue())
                    .callTimeout(Duration.ofSeconds(20))
                    // Qpid reads AMQP expiration as an absolute time, RabbitMQ as a time-to-live.
                    .requestExpiration(false)
                    .build();

            try (SyncClient client = SyncClient.connect(options)) {
                assertThat(client.getServerInfo().getOperationsList()).contains("commit", "get_changes");

                LoginResponse login = client.login(LoginRequest.newBuilder()
                        .setEmail(EmbeddedSyncService.DEMO_EMAIL).setPassword("demo-secret-12")
                        .setDeviceName("laptop").setOs("linux").setAppVersion("1.0").build());
                client.setToken(login.getToken());
                String workspace = client.listWorkspaces().getWorkspaces(0).getWorkspaceId();

                CommitResponse commit = client.commit(CommitRequest.newBuilder()
                        .setWorkspaceId(workspace)
                        .addItems(CommitItem.newBuilder().setTempId("t1").setVersion(1)
                                .setStatus(ItemStatus.ITEM_STATUS_NEW).setName("hello.txt")
                                .setMimeType("text/plain").setChecksum("abc123").setSize(5)
                                .addChunks("chunk-00000001"))
                        .build());
                assertThat(commit.getResults(0).getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);

                GetChangesResponse changes = client.getChanges(GetChangesRequest.newBuilder()
                        .setWorkspaceId(workspace).build());
                assertThat(changes.getItemsList()).extracting(item -> item.getName()).containsExactly("hello.txt");
            }
        }
    }
}
