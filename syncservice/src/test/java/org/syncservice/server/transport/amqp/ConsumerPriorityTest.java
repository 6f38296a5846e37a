package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.SyncService;
import org.syncservice.server.testing.RunningService;

/**
 * Two instances on one request queue over the real RabbitMQ, told apart by the version each gives
 * in get_server_info: the one of higher consumer priority serves a load it has prefetch room for
 * alone, the other takes what overflows it and everything once it stops, and equal priorities
 * share the requests.
 */
class ConsumerPriorityTest {
    private static final int BURST = 20;
    /** What test services answer get_server_info with. */
    private static final String FIRST = "test";

    private RunningService first;
    private SyncService peer;
    private Channel raw;
    private String replyQueue;
    private final BlockingQueue<Response> replies = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (peer != null) {
            peer.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void theHigherPriorityServesALoadItHasRoomForAlone() throws Exception {
        start(Map.of("amqp.consumer-priority", "2"), Map.of("amqp.consumer-priority", "1"));

        Map<String, Integer> servedBy = burst();

        assertThat(servedBy).isEqualTo(Map.of(FIRST, BURST));
    }

    @Test
    void byDefaultOneOfTwoInstancesServesALoadItHasRoomForAlone() throws Exception {
        // Each draws its own priority (auto); the two draws tie once in a million.
        start(Map.of(), Map.of());

        Map<String, Integer> servedBy = burst();

        assertThat(servedBy).hasSize(1);
        assertThat(servedBy.values()).containsExactly(BURST);
    }

    @Test
    void theLowerPriorityTakesTheOverflowAndEverythingOnceTheHigherStops() throws Exception {
        // With a prefetch of 1 the first holds one request at a time, so a burst overflows it.
        start(Map.of("amqp.consumer-priority", "2", "amqp.prefetch", "1"), Map.of("amqp.consumer-priority", "1"));

        Map<String, Integer> overflowing = burst();
        assertThat(overflowing.keySet()).containsExactlyInAnyOrder(FIRST, "peer");

        first.service().close();
        assertThat(burst()).isEqualTo(Map.of("peer", BURST));
    }

    @Test
    void equalPrioritiesShareTheRequests() throws Exception {
        start(Map.of("amqp.consumer-priority", "5"), Map.of("amqp.consumer-priority", "5"));

        // The broker hands them round-robin; one request at a time, so each goes to whichever
        // consumer is next rather than to the one that happens to have answered first.
        Map<String, Integer> servedBy = new HashMap<>();
        for (int i = 0; i < BURST; i++) {
            publish(i);
            servedBy.merge(reply().getGetServerInfo().getServerVersion(), 1, Integer::sum);
        }

        assertThat(servedBy.keySet()).containsExactlyInAnyOrder(FIRST, "peer");
        assertThat(servedBy.values()).allSatisfy(served -> assertThat(served).isGreaterThanOrEqualTo(BURST / 4));
    }

    private void start(Map<String, String> firstSettings, Map<String, String> peerSettings) throws Exception {
        first = RunningService.start(firstSettings);
        peer = first.startPeer(peerSettings, "peer");
        raw = first.broker().connection().createChannel();
        replyQueue = raw.queueDeclare().getQueue();
        DeliverCallback onReply = (tag, delivery) -> replies.add(Response.parseFrom(delivery.getBody()));
        raw.basicConsume(replyQueue, true, onReply, tag -> { });
    }

    /** Publishes {@link #BURST} requests at once; how many each instance answered. */
    private Map<String, Integer> burst() throws Exception {
        for (int i = 0; i < BURST; i++) {
            publish(i);
        }
        Map<String, Integer> servedBy = new HashMap<>();
        for (int i = 0; i < BURST; i++) {
            servedBy.merge(reply().getGetServerInfo().getServerVersion(), 1, Integer::sum);
        }
        assertThat(replies.poll(300, TimeUnit.MILLISECONDS)).as("a reply more").isNull();
        return servedBy;
    }

    private void publish(int i) throws IOException {
        byte[] body = Request.newBuilder().setRequestId("r-" + i)
                .setGetServerInfo(GetServerInfoRequest.getDefaultInstance()).build().toByteArray();
        raw.basicPublish("", first.broker().requestQueue(),
                new AMQP.BasicProperties.Builder().replyTo(replyQueue).correlationId("c-" + i).build(), body);
    }

    private Response reply() throws InterruptedException {
        Response reply = replies.poll(10, TimeUnit.SECONDS);
        assertThat(reply).as("a reply").isNotNull();
        return reply;
    }
}
