package org.syncservice.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Error;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.store.jdbc.DataSources;
import org.syncservice.server.transport.amqp.AmqpConnector;

/**
 * The ideal minimal service that the speed targets are read against: per commit request one
 * database transaction (one row inserted) and one reply, no validation, no notifications. It
 * answers login with a made-up device, so that the benchmark's set-up runs unchanged, and any other
 * operation with UNIMPLEMENTED. {@code scripts/bench.sh} runs it in place of the service when
 * {@code SYNCSERVICE_BENCH_BASELINE=1}, so that a machine's figures for the service can be set
 * against the same machine's ideal (figures differ severalfold between machines of one size).
 *
 * <p>Usage: {@code java -cp syncservice-bench.jar org.syncservice.bench.MinimalService CONFIG}
 * (the service's config file: database, broker and request queue).
 */
public final class MinimalService {
    private static final int CONSUMERS = 2;
    private static final int PREFETCH = 32;

    private MinimalService() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: MinimalService CONFIG");
            System.exit(2);
        }
        ServiceConfig config = ConfigLoader.load(Path.of(args[0]));
        CountDownLatch stopped = new CountDownLatch(1);
        try (HikariDataSource dataSource = DataSources.pooled(config.database(), "minimal-service")) {
            try (java.sql.Connection c = dataSource.getConnection(); Statement create = c.createStatement()) {
                c.setAutoCommit(true);
                create.execute("CREATE TABLE IF NOT EXISTS baseline_commits (request_id text PRIMARY KEY,"
                        + " workspace_id text NOT NULL, items integer NOT NULL,"
                        + " committed_at timestamptz NOT NULL DEFAULT now())");
            }
            Connection broker = new AmqpConnector(config.amqp()).open("minimal-service", null);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            try (Channel setup = broker.createChannel()) {
                setup.queueDeclare(config.amqp().requestQueue(), true, false, false, Map.of());
            }
            for (int i = 0; i < CONSUMERS; i++) {
                Channel channel = broker.createChannel();
                channel.basicQos(PREFETCH);
                channel.basicConsume(config.amqp().requestQueue(), false, new Answering(channel, dataSource));
            }
            System.out.println("minimal service ready: queue " + config.amqp().requestQueue());
            stopped.await();
            broker.close();
        }
    }

    /** Answers the deliveries of one channel, one at a time. */
    private static final class Answering extends DefaultConsumer {
        private final DataSource dataSource;

        Answering(Channel channel, DataSource dataSource) {
            super(channel);
            this.dataSource = dataSource;
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) throws IOException {
            Response response = answer(body);
            if (properties.getReplyTo() != null) {
                getChannel().basicPublish("", properties.getReplyTo(), new AMQP.BasicProperties.Builder()
                        .correlationId(properties.getCorrelationId()).deliveryMode(1).build(), response.toByteArray());
            }
            getChannel().basicAck(envelope.getDeliveryTag(), false);
        }

        private Response answer(byte[] body) {
            Request request;
            try {
                request = Request.parseFrom(body);
            } catch (InvalidProtocolBufferException e) {
                return error("", ErrorCode.ERROR_CODE_INVALID_ARGUMENT, "not a Request");
            }
            Response.Builder response = Response.newBuilder().setRequestId(request.getRequestId());
            switch (request.getOperationCase()) {
                case COMMIT -> {
                    try {
                        store(request);
                    } catch (SQLException e) {
                        return error(request.getRequestId(), ErrorCode.ERROR_CODE_UNAVAILABLE, e.getMessage());
                    }
                    CommitResponse.Builder commit = response.getCommitBuilder();
                    for (int i = 0; i < request.getCommit().getItemsCount(); i++) {
                        commit.addResults(CommitItemResult.newBuilder()
                                .setOutcome(CommitOutcome.COMMIT_OUTCOME_COMMITTED));
                    }
                }
                case LOGIN -> response.setLogin(LoginResponse.newBuilder().setDeviceId(UUID.randomUUID().toString())
                        .setToken("minimal-" + UUID.randomUUID()));
                default -> {
                    return error(request.getRequestId(), ErrorCode.ERROR_CODE_UNIMPLEMENTED,
                            "the minimal service answers only commit and login");
                }
            }
            return response.build();
        }

        /** One transaction (autocommit: one statement, one round trip, one WAL flush). */
        private void store(Request request) throws SQLException {
            try (java.sql.Connection c = dataSource.getConnection();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO baseline_commits"
                         + " (request_id, workspace_id, items) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                c.setAutoCommit(true);
                insert.setString(1, request.getRequestId());
                insert.setString(2, request.getCommit().getWorkspaceId());
                insert.setInt(3, request.getCommit().getItemsCount());
                insert.executeUpdate();
            }
        }

        private static Response error(String requestId, ErrorCode code, String message) {
            return Response.newBuilder().setRequestId(requestId)
                    .setError(Error.newBuilder().setCode(code).setMessage(message)).build();
        }
    }
}
