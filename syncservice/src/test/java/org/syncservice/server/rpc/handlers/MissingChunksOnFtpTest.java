package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.server.storage.ChunkStorages;
import org.syncservice.server.storage.ftp.TestFtpServer;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * get_missing_chunks on FTP (Apache FtpServer): a back-end that cannot sign URLs still answers it,
 * for chunks the client stored with its own FTP login.
 */
class MissingChunksOnFtpTest {
    private static TestFtpServer ftp;
    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        ftp = TestFtpServer.start();
        service = RunningService.start(ftp.serviceSettings(),
                config -> ChunkStorages.create(config.storage(), Clock.systemUTC()));
        fixture = new SyncFixture(service);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            fixture.close();
            service.close();
        } finally {
            ftp.close();
        }
    }

    @Test
    void aChunkStoredOverFtpIsPresentAndTheOthersAreMissing() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        Workspace home = ann.client().listWorkspaces().getWorkspaces(0);
        String stored = "c_" + UUID.randomUUID().toString().replace("-", "");
        String absent = "c_" + UUID.randomUUID().toString().replace("-", "");
        ftp.put(home.getStorage().getPrefix() + stored, "bytes of a chunk".getBytes(StandardCharsets.UTF_8));

        var missing = ann.client().getMissingChunks(GetMissingChunksRequest.newBuilder()
                .setWorkspaceId(home.getWorkspaceId()).addChunks(absent).addChunks(stored).build()).getMissingList();

        assertThat(missing).containsExactly(absent);
        assertThat(ann.client().getServerInfo().getOperationsList())
                .contains("get_missing_chunks").doesNotContain("get_storage_urls");
    }
}
