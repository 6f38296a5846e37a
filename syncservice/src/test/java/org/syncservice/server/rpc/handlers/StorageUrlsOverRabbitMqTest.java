package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.GetStorageUrlsResponse;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;
import org.syncservice.protocol.v1.StorageBackend;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.RefusedUploads;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.ServiceOnS3;

/** get_storage_urls end to end, with real S3 (S3Proxy): SyncClient -> RabbitMQ -> service -> S3. */
class StorageUrlsOverRabbitMqTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ServiceOnS3 onS3;
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        onS3 = ServiceOnS3.start(Map.of("storage.signed-url-ttl", "2m"));
        service = onS3.service();
    }

    @AfterAll
    static void stop() throws Exception {
        onS3.close();
    }

    private static SyncClient loggedIn(String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.org";
        CreatedUser created = service.service().components().accounts().createUser(email, name, "pw", 1 << 20);
        SyncClient client = service.newClient();
        client.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw").setDeviceName("laptop")
                .setOs("linux").setAppVersion("1.0").build());
        assertThat(created.defaultWorkspaceId()).isNotNull();
        return client;
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.isLocal()).isFalse();
            return e.code();
        }
        throw new AssertionError("expected the call to fail");
    }

    private static GetStorageUrlsRequest ask(String workspaceId, StorageAccess access, String... chunks) {
        return GetStorageUrlsRequest.newBuilder().setWorkspaceId(workspaceId).setAccess(access)
                .addAllChunks(java.util.List.of(chunks)).build();
    }

    @Test
    void aMemberUploadsAndDownloadsAChunkWithSignedUrls() throws Exception {
        try (SyncClient ann = loggedIn("ann")) {
            String workspace = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();
            String chunk = "c_" + UUID.randomUUID().toString().replace("-", "");
            long before = System.currentTimeMillis();

            GetStorageUrlsResponse write = ann.getStorageUrls(ask(workspace, StorageAccess.STORAGE_ACCESS_WRITE, chunk));

            assertThat(write.getLocation().getBackend()).isEqualTo(StorageBackend.STORAGE_BACKEND_S3);
            assertThat(write.getLocation().getPrefix()).isEqualTo(workspace + "/");
            assertThat(write.getExpiresAtMs()).isBetween(before + 100_000, before + 121_000);
            SignedUrl put = write.getUrls(0);
            assertThat(put.getChunk()).isEqualTo(chunk);
            assertThat(put.getUrl()).contains(workspace + "/" + chunk);
            HttpRequest.Builder upload = HttpRequest.newBuilder(URI.create(put.getUrl()))
                    .method(put.getMethod(), HttpRequest.BodyPublishers.ofString("bytes of a chunk"));
            put.getHeadersMap().forEach(upload::header);
            assertThat(HTTP.send(upload.build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

            SignedUrl get = ann.getStorageUrls(ask(workspace, StorageAccess.STORAGE_ACCESS_READ, chunk)).getUrls(0);
            HttpResponse<String> download = HTTP.send(HttpRequest.newBuilder(URI.create(get.getUrl())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(download.body()).isEqualTo("bytes of a chunk");
        }
    }

    @Test
    void aNonMemberGetsNotFound() {
        try (SyncClient ann = loggedIn("ann"); SyncClient eve = loggedIn("eve")) {
            String annsWorkspace = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();

            assertThat(codeOf(() -> eve.getStorageUrls(ask(annsWorkspace, StorageAccess.STORAGE_ACCESS_READ,
                    "c_0123456789")))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
            assertThat(codeOf(() -> eve.getStorageUrls(ask(UUID.randomUUID().toString(),
                    StorageAccess.STORAGE_ACCESS_READ, "c_0123456789")))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        }
    }

    @Test
    void badChunkNamesAndAccessAreInvalidArguments() {
        try (SyncClient ann = loggedIn("ann")) {
            String workspace = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();

            assertThat(codeOf(() -> ann.getStorageUrls(ask(workspace, StorageAccess.STORAGE_ACCESS_READ,
                    "../../etc/passwd")))).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(codeOf(() -> ann.getStorageUrls(ask(workspace, StorageAccess.STORAGE_ACCESS_UNSPECIFIED,
                    "c_0123456789")))).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(codeOf(() -> ann.getStorageUrls(ask(workspace, StorageAccess.STORAGE_ACCESS_READ))))
                    .isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        }
    }

    private static String fieldOf(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            return e.field().orElse("");
        }
        throw new AssertionError("expected the call to fail");
    }

    /** The case end to end: a MiB PUT through the WRITE URL of a 16-byte chunk. */
    @Test
    void aDeclaredSizeIsSignedIntoTheWriteUrl() throws Exception {
        try (SyncClient ann = loggedIn("ann")) {
            String workspace = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();
            String chunk = "c_" + UUID.randomUUID().toString().replace("-", "");
            SignedUrl put = ann.getStorageUrls(GetStorageUrlsRequest.newBuilder().setWorkspaceId(workspace)
                    .setAccess(StorageAccess.STORAGE_ACCESS_WRITE).addChunks(chunk).addSizes(16).build()).getUrls(0);
            assertThat(put.getHeadersMap()).containsEntry("content-length", "16").containsEntry("if-none-match", "*");

            assertThat(putThrough(put, new byte[1 << 20])).isIn(403, RefusedUploads.CUT);
            assertThat(putThrough(put, new byte[16])).isEqualTo(200);
        }
    }

    @Test
    void sizesThatDoNotFitTheChunksAreInvalidArgumentsNamingThem() {
        try (SyncClient ann = loggedIn("ann")) {
            String workspace = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();
            GetStorageUrlsRequest.Builder write = GetStorageUrlsRequest.newBuilder().setWorkspaceId(workspace)
                    .setAccess(StorageAccess.STORAGE_ACCESS_WRITE).addChunks("c_0123456789").addChunks("c_9876543210");

            assertThat(fieldOf(() -> ann.getStorageUrls(write.clone().addSizes(3).build())))
                    .isEqualTo("get_storage_urls.sizes");
            assertThat(fieldOf(() -> ann.getStorageUrls(write.clone().addSizes(3).addSizes(-1).build())))
                    .isEqualTo("get_storage_urls.sizes[1]");
            assertThat(fieldOf(() -> ann.getStorageUrls(write.clone().addSizes(3).addSizes(Long.MAX_VALUE).build())))
                    .isEqualTo("get_storage_urls.sizes[1]");
            assertThat(fieldOf(() -> ann.getStorageUrls(write.clone().setAccess(StorageAccess.STORAGE_ACCESS_READ)
                    .addSizes(3).addSizes(4).build()))).isEqualTo("get_storage_urls.sizes");
            assertThat(fieldOf(() -> ann.getStorageUrls(write.clone().setChunks(1, "c_0123456789")
                    .addSizes(3).addSizes(4).build()))).isEqualTo("get_storage_urls.sizes[1]");
        }
    }

    @Test
    void serverInfoAnnouncesWhatS3EnforcesOnUploads() {
        try (SyncClient anyone = service.newClient()) {
            org.syncservice.protocol.v1.UploadChecks checks = anyone.getServerInfo().getUploadChecks();

            assertThat(checks.getNoOverwrite()).isTrue();
            assertThat(checks.getContentSha256()).isTrue();
            assertThat(checks.getDeclaredSize()).isTrue();
        }
    }

    private static int putThrough(SignedUrl put, byte[] body) throws Exception {
        HttpRequest.Builder upload = HttpRequest.newBuilder(URI.create(put.getUrl()))
                .method(put.getMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        put.getHeadersMap().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                upload.header(name, value);
            }
        });
        return RefusedUploads.status(HTTP, upload.build());
    }
}
