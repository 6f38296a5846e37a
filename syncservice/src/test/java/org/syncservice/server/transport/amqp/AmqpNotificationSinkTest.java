package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.notify.NotificationSink;
import org.syncservice.server.notify.OutboundNotification;
import org.syncservice.server.testing.TestBroker;

/** Against the real RabbitMQ: a refusal is attributed to its notification, and the rest of the batch counts. */
class AmqpNotificationSinkTest {

    private static OutboundNotification to(String routingKey, String id) {
        return new OutboundNotification(id, routingKey, id.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> drain(Channel channel, String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        GetResponse message;
        while ((message = channel.basicGet(queue, true)) != null) {
            ids.add(message.getProps().getMessageId());
        }
        return ids;
    }

    private static AmqpNotificationSink startedSink(TestBroker broker) throws Exception {
        AmqpConnector connector = new AmqpConnector(ConfigLoader.load(Map.of("amqp.host", TestBroker.host(),
                "amqp.port", Integer.toString(TestBroker.port()))).amqp());
        AmqpNotificationSink sink = new AmqpNotificationSink(connector, broker.notificationExchange(), "sink test",
                false);
        sink.start();
        return sink;
    }

    @Test
    void aNotificationThatCannotBeFramedIsRefusedAloneAndTheOthersOfItsBatchAreConfirmed() throws Exception {
        try (TestBroker broker = TestBroker.create()) {
            AmqpNotificationSink sink = startedSink(broker);
            try {
                Channel channel = broker.connection().createChannel();
                String queue = channel.queueDeclare("", false, true, true, null).getQueue();
                channel.queueBind(queue, broker.notificationExchange(), "user.#");

                // AMQP routing keys are at most 255 bytes: the second cannot be sent at all.
                List<NotificationSink.Refused> refused = sink.publishConfirmed(List.of(
                        to("user.a", "o1"), to("user." + "x".repeat(300), "o2"), to("user.b", "o3"),
                        to("user.c", "o4")));

                assertThat(refused).singleElement().satisfies(r -> {
                    assertThat(r.index()).isEqualTo(1);
                    assertThat(r.reason()).contains("cannot be published");
                });
                Thread.sleep(200);
                assertThat(drain(channel, queue)).containsExactlyInAnyOrder("o1", "o3", "o4");

                // The sink goes on with a fresh channel whose confirms match again.
                assertThat(sink.publishConfirmed(List.of(to("user.d", "o5"), to("user.e", "o6")))).isEmpty();
                Thread.sleep(200);
                assertThat(drain(channel, queue)).containsExactly("o5", "o6");
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void aNegativeConfirmNamesItsNotificationOnly() throws Exception {
        try (TestBroker broker = TestBroker.create()) {
            AmqpNotificationSink sink = startedSink(broker);
            try {
                Channel channel = broker.connection().createChannel();
                String refusing = channel.queueDeclare("", false, true, true,
                        Map.of("x-max-length", 0, "x-overflow", "reject-publish")).getQueue();
                channel.queueBind(refusing, broker.notificationExchange(), "ws.refused");

                List<NotificationSink.Refused> refused = sink.publishConfirmed(List.of(
                        to("ws.fine", "o1"), to("ws.refused", "o2"), to("ws.fine", "o3"), to("ws.refused", "o4")));

                assertThat(refused).extracting(NotificationSink.Refused::index).containsExactlyInAnyOrder(1, 3);
            } finally {
                sink.close();
            }
        }
    }
}
