package org.syncservice.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.ServiceOnS3;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** The health and metrics endpoint of a running service, over HTTP. */
class OperationsEndpointTest {
    private static final Pattern SERVER_INFO_OK = Pattern.compile(
            "(?m)^syncservice_requests_total\\{code=\"OK\",operation=\"get_server_info\"} ([0-9.E]+)$");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static RunningService startWithEndpoint() throws Exception {
        return RunningService.start(Map.of("http.port", Integer.toString(freePort()), "db.connect-timeout", "1s"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(RunningService running, String path) throws Exception {
        var address = running.service().httpAddress().orElseThrow();
        URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double serverInfoCount(String metrics) {
        Matcher matcher = SERVER_INFO_OK.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void healthIsUpWhileTheDatabaseAndBrokerAreReachableAndDownWhenTheDatabaseIsGone() throws Exception {
        try (RunningService running = startWithEndpoint()) {
            HttpResponse<String> up = get(running, "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"status\":\"UP\"", "\"database\":\"UP\"", "\"broker\":\"UP\"");

            running.database().close();

            HttpResponse<String> down = get(running, "/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"", "\"database\":\"DOWN\"");
        }
    }

    @Test
    void readinessReportsStorageAndFailsWhenItIsDownWhileLivenessStaysUp() throws Exception {
        try (ServiceOnS3 onS3 = ServiceOnS3.start(Map.of("http.port", Integer.toString(freePort())))) {
            RunningService running = onS3.service();
            HttpResponse<String> ready = get(running, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo(
                    "{\"status\":\"UP\",\"database\":\"UP\",\"broker\":\"UP\",\"storage\":\"UP\"}\n");
            assertThat(get(running, "/health").body()).isEqualTo(ready.body());

            onS3.stopStorage();

            HttpResponse<String> notReady = get(running, "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo(
                    "{\"status\":\"DOWN\",\"database\":\"UP\",\"broker\":\"UP\",\"storage\":\"DOWN\"}\n");
            assertThat(get(running, "/health").statusCode()).isEqualTo(503);
            HttpResponse<String> live = get(running, "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}\n");
        }
    }

    @Test
    void livenessStaysUpWhenTheDatabaseIsGone() throws Exception {
        try (RunningService running = startWithEndpoint()) {
            running.database().close();

            assertThat(get(running, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(get(running, "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsShowTheBuildAndTheJvmAndProcess() throws Exception {
        try (RunningService running = startWithEndpoint()) {
            String metrics = get(running, "/metrics").body();

            assertThat(metrics)
                    .containsPattern("(?m)^syncservice_build_info\\{version=\"test\"} 1(\\.0)?$")
                    .containsPattern("(?m)^jvm_memory_used_bytes\\{")
                    // Registered when the GC binder is bound; the pause timer only after a collection was seen.
                    .containsPattern("(?m)^jvm_gc_max_data_size_bytes ")
                    .containsPattern("(?m)^jvm_threads_live_threads ")
                    .containsPattern("(?m)^jvm_classes_loaded_classes ")
                    .containsPattern("(?m)^process_cpu_usage ")
                    .containsPattern("(?m)^system_cpu_count ")
                    .containsPattern("(?m)^process_uptime_seconds ")
                    .containsPattern("(?m)^process_start_time_seconds ")
                    .containsPattern("(?m)^process_files_open_files ");
        }
    }

    @Test
    void metricsCountRequestsAndShowTheOutboxBacklogPoolAndBroker() throws Exception {
        try (RunningService running = startWithEndpoint(); SyncClient client = running.newClient()) {
            client.getServerInfo();
            double before = serverInfoCount(get(running, "/metrics").body());

            client.getServerInfo();
            HttpResponse<String> metrics = get(running, "/metrics");

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(serverInfoCount(metrics.body())).isEqualTo(before + 1);
            assertThat(metrics.body())
                    .contains("syncservice_request_duration_seconds_bucket{operation=\"get_server_info\"")
                    .containsPattern("(?m)^syncservice_outbox_backlog [0-9.E]+$")
                    .contains("syncservice_broker_connected 1.0")
                    .contains("syncservice_standby_listing_pages_total{outcome=\"served\"} 0.0")
                    .contains("hikaricp_connections{pool=\"syncservice\"");
        }
    }

    @Test
    void metricsShowTheSizeOfCommitGroupsAndOutboxPasses() throws Exception {
        try (RunningService running = startWithEndpoint(); SyncFixture fixture = new SyncFixture(running)) {
            SyncDevice ann = fixture.newUser("Ann");
            ann.commit(CommitItems.newFolder("t1", "Photos"));
            ann.commit(CommitItems.newFolder("t1", "Music"));

            assertThat(sample(running, "syncservice_commit_group_size_commits_count")).isEqualTo(2);
            assertThat(sample(running, "syncservice_commit_group_size_commits_sum")).isEqualTo(2);
            // The commits' notifications go out asynchronously, after their transactions committed.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sample(running, "syncservice_outbox_pass_size_notifications_sum") < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            double passes = sample(running, "syncservice_outbox_pass_size_notifications_count");
            double published = sample(running, "syncservice_outbox_pass_size_notifications_sum");
            assertThat(published).isGreaterThanOrEqualTo(2);
            assertThat(passes).isBetween(1.0, published);
        }
    }

    /** The value of one unlabelled sample in the service's metrics. */
    private double sample(RunningService running, String name) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.E]+)$")
                .matcher(get(running, "/metrics").body());
        assertThat(matcher.find()).as("%s in the metrics", name).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void otherPathsAreNotFound() throws Exception {
        try (RunningService running = startWithEndpoint()) {
            assertThat(get(running, "/admin").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theEndpointIsOffByDefault() throws Exception {
        try (RunningService running = RunningService.start()) {
            assertThat(running.service().httpAddress()).isEmpty();
        }
    }
}
