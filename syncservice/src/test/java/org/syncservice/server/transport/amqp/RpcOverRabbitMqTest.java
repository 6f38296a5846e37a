package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.testing.RunningService;

/**
 * The service end to end over the real RabbitMQ: good requests through the client SDK, and every
 * kind of bad input published raw, each answered (where an answer is possible) and acknowledged,
 * with the service answering good requests afterwards.
 */
class RpcOverRabbitMqTest {
    private static final int MAX_MESSAGE_BYTES = 65536;
    private static RunningService service;

    private SyncClient client;
    private Channel raw;
    private String replyQueue;
    private final BlockingQueue<Delivery> replies = new ArrayBlockingQueue<>(256);

    private record Delivery(String correlationId, Response response) {
    }

    @BeforeAll
    static void startService() throws Exception {
        service = RunningService.start(java.util.Map.of(
                "limits.max-message-bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
    }

    @BeforeEach
    void connect() throws IOException {
        client = service.newClient();
        raw = service.broker().connection().createChannel();
        replyQueue = raw.queueDeclare().getQueue();
        DeliverCallback onReply = (tag, delivery) -> replies.add(new Delivery(
                delivery.getProperties().getCorrelationId(), Response.parseFrom(delivery.getBody())));
        raw.basicConsume(replyQueue, true, onReply, tag -> { });
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
        raw.close();
    }

    @Test
    void serverInfoTravelsThroughTheBrokerToTheServiceAndBack() {
        GetServerInfoResponse info = client.getServerInfo();

        assertThat(info.getProtocolVersion()).isEqualTo(1);
        assertThat(info.getServerVersion()).isEqualTo("test");
        assertThat(info.getOperationsList()).contains("get_server_info");
        assertThat(info.getLimits().getMaxMessageBytes()).isEqualTo(MAX_MESSAGE_BYTES);
        assertThat(info.getNotificationExchange()).isEqualTo(service.broker().notificationExchange());
    }

    @Test
    void garbageBytesGetAnInvalidArgumentReply() throws Exception {
        Response reply = publishRaw(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x00, 0x13});

        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertServiceStillServes();
    }

    @Test
    void anUnknownOperationGetsUnimplemented() throws Exception {
        byte[] body = Request.newBuilder().setRequestId("r-unknown-op").build().toByteArray();
        // Field 77, length-delimited: tag (77 << 3 | 2) = 618 as a varint, then an empty message.
        byte[] withOperation77 = concat(body, new byte[] {(byte) 0xea, 0x04, 0x00});

        Response reply = publishRaw(withOperation77);

        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_UNIMPLEMENTED);
        assertThat(reply.getRequestId()).isEqualTo("r-unknown-op");
        assertServiceStillServes();
    }

    @Test
    void anOversizeMessageGetsAnErrorNamingTheLimit() throws Exception {
        Request big = Request.newBuilder().setRequestId("r-big").setToken("x".repeat(MAX_MESSAGE_BYTES))
                .setGetServerInfo(GetServerInfoRequest.getDefaultInstance()).build();

        Response reply = publishRaw(big.toByteArray());

        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(reply.getError().getMessage()).contains("max_message_bytes");
        assertServiceStillServes();
    }

    @Test
    void anExpiredDeadlineIsAnsweredWithoutDoingTheWork() throws Exception {
        Request late = Request.newBuilder().setRequestId("r-late").setToken("t")
                .setDeadlineMs(System.currentTimeMillis() - 60_000)
                .setCommit(CommitRequest.newBuilder().setWorkspaceId(UUID.randomUUID().toString())).build();

        Response reply = publishRaw(late.toByteArray());

        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED);
        assertServiceStillServes();
    }

    @Test
    void aRequestWithoutReplyToIsDroppedAndAcknowledged() throws Exception {
        Request request = Request.newBuilder().setRequestId("r-no-reply-to")
                .setGetServerInfo(GetServerInfoRequest.getDefaultInstance()).build();
        raw.basicPublish("", service.broker().requestQueue(),
                new AMQP.BasicProperties.Builder().correlationId("c-no-reply").build(), request.toByteArray());

        assertServiceStillServes();
        assertThat(replies.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aBurstOfRequestsServedApartAndTogetherIsAnsweredOnceEach() throws Exception {
        // The service takes the burst in a few groups. In each, get_server_info goes to the pool of
        // threads for other requests while the worker answers the refusals, and both acknowledge on
        // the channel: an acknowledgement naming a delivery twice would close the channel, and the
        // broker would deliver the requests again, answered twice.
        int burst = 120;
        for (int i = 0; i < burst; i++) {
            byte[] body = i % 3 == 0 ? new byte[] {1, 2, 3} : Request.newBuilder().setRequestId("r-burst-" + i)
                    .setGetServerInfo(GetServerInfoRequest.getDefaultInstance()).build().toByteArray();
            raw.basicPublish("", service.broker().requestQueue(), new AMQP.BasicProperties.Builder()
                    .replyTo(replyQueue).correlationId("burst-" + i).build(), body);
        }

        Set<String> answered = new HashSet<>();
        while (answered.size() < burst) {
            Delivery delivery = replies.poll(10, TimeUnit.SECONDS);
            assertThat(delivery).as("reply %d of %d", answered.size() + 1, burst).isNotNull();
            assertThat(answered.add(delivery.correlationId())).as("answered once: " + delivery.correlationId()).isTrue();
            int i = Integer.parseInt(delivery.correlationId().substring("burst-".length()));
            assertThat(delivery.response().hasGetServerInfo()).isEqualTo(i % 3 != 0);
        }
        assertThat(replies.poll(500, TimeUnit.MILLISECONDS)).as("a reply more").isNull();
        assertServiceStillServes();
        assertThat(raw.queueDeclarePassive(service.broker().requestQueue()).getMessageCount()).isZero();
        assertThat(service.service().isHealthy()).isTrue();
    }

    @Test
    void badInputIsNeverLeftInTheQueue() throws Exception {
        publishRaw(new byte[] {1, 2, 3});
        publishRaw(new byte[0]);
        raw.basicPublish("", service.broker().requestQueue(), null, new byte[] {9, 9, 9});
        assertServiceStillServes();

        AMQP.Queue.DeclareOk queue = raw.queueDeclarePassive(service.broker().requestQueue());
        assertThat(queue.getMessageCount()).as("ready requests").isZero();
    }

    @Test
    void theServiceConsumesAgainAfterItsRequestQueueIsDeleted() throws Exception {
        raw.queueDelete(service.broker().requestQueue());

        // The cancellation reaches the service asynchronously; until it re-declared the queue, a
        // request is unroutable and the client says UNAVAILABLE.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                assertServiceStillServes();
                break;
            } catch (SyncServiceException e) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        assertServiceStillServes();
        assertThat(service.service().isHealthy()).isTrue();
    }

    private void assertServiceStillServes() {
        assertThat(client.getServerInfo().getProtocolVersion()).isEqualTo(1);
    }

    private Response publishRaw(byte[] body) throws Exception {
        String correlationId = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .replyTo(replyQueue).correlationId(correlationId).contentType("application/x-protobuf").build();
        raw.basicPublish("", service.broker().requestQueue(), properties, body);
        Delivery delivery = replies.poll(10, TimeUnit.SECONDS);
        assertThat(delivery).as("a reply").isNotNull();
        assertThat(delivery.correlationId()).isEqualTo(correlationId);
        return delivery.response();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
