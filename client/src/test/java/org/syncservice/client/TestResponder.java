package org.syncservice.client;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * Stands in for the service in tests: consumes its own uniquely named request queue on the real
 * broker and answers as the service would, copying the correlation id to a reply on reply_to.
 * The handler returns null to send no reply (the test may reply later with {@link #reply}).
 */
final class TestResponder implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    /** What the responder received: the AMQP properties and the decoded request. */
    record Received(AMQP.BasicProperties properties, Request request) {
    }

    final String queue = "test." + UUID.randomUUID();
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Connection connection;
    private final Channel channel;
    private final Function<Request, Response> handler;

    private TestResponder(Function<Request, Response> handler) throws IOException, TimeoutException {
        this.handler = handler;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        connection = factory.newConnection("test-responder");
        channel = connection.createChannel();
        channel.queueDeclare(queue, false, false, true, null);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props,
                    byte[] body) throws IOException {
                Request request = Request.parseFrom(body);
                received.add(new Received(props, request));
                Response response = TestResponder.this.handler.apply(request);
                if (response != null) {
                    reply(props, response);
                }
            }
        });
    }

    static TestResponder start(Function<Request, Response> handler) {
        try {
            return new TestResponder(handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A responder that answers every request with server info whose version is the request id. */
    static TestResponder echo() {
        return start(TestResponder::echoResponse);
    }

    static Response echoResponse(Request request) {
        return Response.newBuilder()
                .setRequestId(request.getRequestId())
                .setGetServerInfo(GetServerInfoResponse.newBuilder().setServerVersion(request.getRequestId()))
                .build();
    }

    /** Publishes a reply to the request with these properties, as the service does. */
    void reply(AMQP.BasicProperties requestProperties, Response response) {
        replyWithCorrelationId(requestProperties.getReplyTo(), requestProperties.getCorrelationId(), response);
    }

    void replyWithCorrelationId(String replyTo, String correlationId, Response response) {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .correlationId(correlationId)
                .contentType(AmqpRpcClient.CONTENT_TYPE)
                .type("syncservice.v1.Response")
                .build();
        try {
            synchronized (channel) {
                channel.basicPublish("", replyTo, props, response.toByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Received nextReceived(Duration wait) throws InterruptedException {
        Received r = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("the responder received no request within " + wait);
        }
        return r;
    }

    SyncClientOptions.Builder options() {
        return SyncClientOptions.builder()
                .host(HOST)
                .requestQueue(queue)
                .connectionName("syncservice-client-test-" + UUID.randomUUID())
                .recoveryInterval(Duration.ofMillis(200));
    }

    @Override
    public void close() throws IOException, TimeoutException {
        try {
            channel.queueDelete(queue);
        } finally {
            connection.close();
        }
    }
}
