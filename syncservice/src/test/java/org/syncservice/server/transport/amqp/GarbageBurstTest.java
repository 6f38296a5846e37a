package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.Request;
import org.syncservice.server.testing.RunningService;

/**
 * Random garbage published raw to the request queue, in bursts: some with a reply_to, some
 * without, some answering to a queue that does not exist. Afterwards the service still answers
 * good requests and the request queue is empty (nothing requeued for ever).
 */
class GarbageBurstTest {
    private static final int TRIES = 4;
    private static final int BURST = 150;
    private static RunningService service;
    private static Channel raw;
    private static String replyQueue;
    private static int published;

    @BeforeContainer
    static void start() throws Exception {
        service = RunningService.start();
        raw = service.broker().connection().createChannel();
        replyQueue = raw.queueDeclare().getQueue();
    }

    @AfterContainer
    static void stop() throws Exception {
        System.out.println("garbage bodies published: " + published);
        raw.close();
        service.close();
    }

    @Property(tries = TRIES)
    void afterABurstOfGarbageTheServiceAnswersAndTheQueueIsEmpty(
            @ForAll @Size(value = BURST) List<@Size(max = 4096) byte[]> bodies) throws Exception {
        for (int i = 0; i < bodies.size(); i++) {
            AMQP.BasicProperties.Builder properties = new AMQP.BasicProperties.Builder()
                    .correlationId(UUID.randomUUID().toString());
            switch (i % 4) {
                case 0 -> { } // no reply_to: nobody to answer
                case 1 -> properties.replyTo("no-such-queue-" + UUID.randomUUID());
                default -> properties.replyTo(replyQueue);
            }
            byte[] body = bodies.get(i);
            if (i % 10 == 0) {
                // A valid envelope with garbage appended: parses up to a point, then fails.
                byte[] prefix = Request.newBuilder().setRequestId("garbage-" + i).build().toByteArray();
                byte[] joined = new byte[prefix.length + body.length];
                System.arraycopy(prefix, 0, joined, 0, prefix.length);
                System.arraycopy(body, 0, joined, prefix.length, body.length);
                body = joined;
            }
            raw.basicPublish("", service.broker().requestQueue(), properties.build(), body);
            published++;
        }

        try (SyncClient client = service.newClient()) {
            assertThat(client.getServerInfo().getServerVersion()).isEqualTo("test");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long waiting;
        do {
            waiting = raw.messageCount(service.broker().requestQueue());
            if (waiting > 0) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } while (waiting > 0 && System.nanoTime() < deadline);
        assertThat(waiting).as("requests left in the queue").isZero();
        assertThat(service.service().isHealthy()).isTrue();
    }
}
