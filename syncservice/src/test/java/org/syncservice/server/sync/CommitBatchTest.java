package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_CONFLICT;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.RejectReason;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.rpc.DeviceRateLimiter;
import org.syncservice.server.rpc.HandlerRegistry;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.rpc.handlers.ServerInfoHandler;
import org.syncservice.server.store.jdbc.JdbcSyncStore;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.NoDeviceQueues;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/**
 * Commits served together ({@link RequestProcessor#processAll}, {@link CommitService#commitAll}):
 * one transaction for many requests, and every request answered exactly as if it had been served
 * alone. Wired over a real database as the service wires it.
 */
class CommitBatchTest {
    private static final Clock CLOCK = Clock.systemUTC();

    private static TestDatabase database;
    private static ServiceConfig config;
    private static ServiceComponents components;
    private static RequestProcessor processor;

    /** A logged-in device of a user of its own. */
    private record Device(UUID userId, UUID deviceId, UUID workspaceId, String token) {
        Principal principal() {
            return new Principal(userId, deviceId);
        }
    }

    @BeforeAll
    static void wire() throws SQLException {
        database = TestDatabase.create();
        config = TestComponents.config(database, Map.of());
        components = new ServiceComponents(database.dataSource(), config,
                new InMemoryChunkStorage(config.storage().backend()), CLOCK, new NoDeviceQueues(), () -> { });
        HandlerRegistry handlers = components.addHandlers(HandlerRegistry.builder())
                .build(operations -> new ServerInfoHandler("test", config.limits(), config.storage().backend(),
                        config.amqp().notificationExchange(), operations, CLOCK));
        processor = new RequestProcessor(config.limits().maxMessageBytes(), handlers, components.authenticator(),
                DeviceRateLimiter.unlimited(), CLOCK);
    }

    @AfterAll
    static void drop() throws SQLException {
        database.close();
    }

    @Test
    void commitsOfManyWorkspacesServedTogetherAreEachStoredOnceWithTheirOwnSequence() throws Exception {
        List<Device> devices = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Device device = newUser(1L << 40);
            devices.add(device);
            bodies.add(commit(device, UUID.randomUUID().toString(),
                    newFolder("f", "Folder"), newFile("a", "f", "a.txt", 100 + i)));
        }

        List<CommitResponse> answers = commits(processor.processAll(bodies));

        for (int i = 0; i < devices.size(); i++) {
            CommitResponse answer = answers.get(i);
            assertThat(answer.getResultsList()).extracting(CommitItemResult::getOutcome)
                    .containsExactly(COMMIT_OUTCOME_COMMITTED, COMMIT_OUTCOME_COMMITTED);
            assertThat(answer.getChangeSeq()).isEqualTo(1);
            Item file = answer.getResults(1).getCurrent();
            assertThat(file.getParentId()).isEqualTo(answer.getResults(0).getCurrent().getItemId());
            UUID workspace = devices.get(i).workspaceId();
            assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", workspace)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM item_versions WHERE workspace_id = ?", workspace)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM outbox WHERE workspace_id = ? AND change_seq = 1", workspace))
                    .isEqualTo(1);
            assertThat(count("SELECT latest_change_seq FROM workspaces WHERE workspace_id = ?", workspace))
                    .isEqualTo(1);
            assertThat(count("SELECT quota_used_bytes FROM users WHERE user_id = ?", devices.get(i).userId()))
                    .isEqualTo(100 + i);
        }
        assertThat(transactionsThatWrote(devices)).as("one transaction for the whole group").isEqualTo(1);
    }

    /** How many transactions wrote the items of these devices' workspaces (each row keeps its writer's xmin). */
    private static long transactionsThatWrote(List<Device> devices) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT count(DISTINCT xmin::text) FROM items WHERE workspace_id = ANY (?)")) {
            select.setArray(1, connection.createArrayOf("uuid", devices.stream().map(Device::workspaceId).toArray()));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void anAnswerServedTogetherIsTheStoredAnswerARetryGets() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            devices.add(newUser(1L << 40));
            bodies.add(commit(devices.get(i), "retry-" + i, newFile("a", "a.txt", 10), newFile("b", "b.txt", 20)));
        }

        List<CommitResponse> together = commits(processor.processAll(bodies));

        for (int i = 0; i < bodies.size(); i++) {
            assertThat(commits(List.of(processor.process(bodies.get(i))))).containsExactly(together.get(i));
        }
        assertThat(transactionsThatWrote(devices)).isEqualTo(1);
    }

    @Test
    void laterCommitsOfOneWorkspaceSeeTheEarlierOnesOfTheGroup() throws Exception {
        Device ann = newUser(1L << 40);
        List<byte[]> bodies = List.of(
                commit(ann, "first", newFile("a", "a.txt", 10)),
                commit(ann, "second", newFile("a", "a.txt", 20)),
                commit(ann, "third", newFile("b", "b.txt", 30)));

        List<CommitResponse> answers = commits(processor.processAll(bodies));

        assertThat(answers.get(0).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(answers.get(1).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_REJECTED);
        assertThat(answers.get(1).getResults(0).getReason()).isEqualTo(RejectReason.REJECT_REASON_NAME_TAKEN);
        assertThat(answers.get(1).getResults(0).getCurrent().getItemId())
                .isEqualTo(answers.get(0).getResults(0).getCurrent().getItemId());
        assertThat(answers.get(2).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(answers).extracting(CommitResponse::getChangeSeq).containsExactly(1L, 0L, 2L);
        assertThat(count("SELECT quota_used_bytes FROM users WHERE user_id = ?", ann.userId())).isEqualTo(40);
    }

    @Test
    void aRequestTwiceInOneGroupIsStoredOnceAndAnsweredTheSame() throws Exception {
        Device ann = newUser(1L << 40);
        Device bob = newUser(1L << 40);
        byte[] twice = commit(ann, "twice", newFile("a", "a.txt", 10));
        List<byte[]> bodies = List.of(twice, commit(bob, "other", newFile("b", "b.txt", 10)), twice);

        List<CommitResponse> answers = commits(processor.processAll(bodies));

        assertThat(answers.get(2)).isEqualTo(answers.get(0));
        assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", ann.workspaceId())).isEqualTo(1);
        assertThat(answers.get(1).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
    }

    @Test
    void aRefusedRequestOfTheGroupHarmsNoOtherRequest() throws Exception {
        Device ann = newUser(1L << 40);
        Device bob = newUser(1L << 40);
        Device carol = newUser(1L << 40);
        processor.process(commit(ann, "used", newFile("a", "a.txt", 10)));
        List<byte[]> bodies = List.of(
                commit(ann, "used", newFile("x", "other-body.txt", 10)),        // the id, with another body
                commit(bob, "bob", newFile("b", "b.txt", 10)),
                commitTo(carol, ann.workspaceId(), "carol", newFile("c", "c.txt", 10)), // not her workspace
                commit(carol, "carol-own", CommitItem.getDefaultInstance()),    // an item without a status
                commit(carol, "carol-ok", newFile("c", "c.txt", 10)));

        List<Response> answers = processor.processAll(bodies).stream().map(o -> o.response()).toList();

        assertThat(answers.get(0).getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(answers.get(1).getCommit().getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(answers.get(2).getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(answers.get(3).getCommit().getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_REJECTED);
        assertThat(answers.get(3).getCommit().getResults(0).getReason())
                .isEqualTo(RejectReason.REJECT_REASON_INVALID_STATUS);
        assertThat(answers.get(4).getCommit().getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", ann.workspaceId())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", carol.workspaceId())).isEqualTo(1);
    }

    @Test
    void twoWorkspacesOfOneOwnerInOneGroupAreChargedAgainstOneQuota() throws Exception {
        Device ann = newUser(1000);
        UUID extra = components.workspaces().createWorkspace(ann.userId(), "Extra").workspaceId();
        List<byte[]> bodies = List.of(
                commit(ann, "default", newFile("a", "a.txt", 600)),
                commitTo(ann, extra, "extra", newFile("b", "b.txt", 600)));

        List<CommitResponse> answers = commits(processor.processAll(bodies));

        assertThat(answers.get(0).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(answers.get(1).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_REJECTED);
        assertThat(answers.get(1).getResults(0).getReason()).isEqualTo(RejectReason.REJECT_REASON_QUOTA_EXCEEDED);
        assertThat(count("SELECT quota_used_bytes FROM users WHERE user_id = ?", ann.userId())).isEqualTo(600);
    }

    @Test
    void concurrentGroupsOverTheSameWorkspacesNeverDeadlockAndEachChangeHasOneWinner() throws Exception {
        int workspaces = 4;
        int groups = 4;
        int rounds = 40;
        List<Device> owners = new ArrayList<>();
        List<Item> files = new ArrayList<>();
        for (int w = 0; w < workspaces; w++) {
            Device owner = newUser(1L << 40);
            owners.add(owner);
            files.add(commits(List.of(processor.process(commit(owner, "seed", newFile("f", "shared.txt", 1)))))
                    .get(0).getResults(0).getCurrent());
        }
        ExecutorService threads = Executors.newFixedThreadPool(groups);
        CyclicBarrier start = new CyclicBarrier(groups);
        try {
            for (int round = 0; round < rounds; round++) {
                List<Future<List<CommitResponse>>> results = new ArrayList<>();
                for (int g = 0; g < groups; g++) {
                    List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
                    Collections.shuffle(order, new Random(round * 31L + g));
                    List<byte[]> bodies = new ArrayList<>();
                    for (int w : order) {
                        bodies.add(commit(owners.get(w), "r" + round + "-g" + g + "-w" + w,
                                changed(files.get(w), 10 + g)));
                    }
                    results.add(threads.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        List<CommitResponse> answers = commits(processor.processAll(bodies));
                        List<CommitResponse> byWorkspace = new ArrayList<>(Collections.nCopies(workspaces, null));
                        for (int k = 0; k < order.size(); k++) {
                            byWorkspace.set(order.get(k), answers.get(k));
                        }
                        return byWorkspace;
                    }));
                }
                List<List<CommitResponse>> answers = new ArrayList<>();
                for (Future<List<CommitResponse>> result : results) {
                    answers.add(result.get(60, TimeUnit.SECONDS));
                }
                for (int w = 0; w < workspaces; w++) {
                    int winners = 0;
                    for (List<CommitResponse> group : answers) {
                        var outcome = group.get(w).getResults(0).getOutcome();
                        assertThat(outcome).isIn(COMMIT_OUTCOME_COMMITTED, COMMIT_OUTCOME_CONFLICT);
                        if (outcome == COMMIT_OUTCOME_COMMITTED) {
                            winners++;
                            files.set(w, group.get(w).getResults(0).getCurrent());
                        }
                    }
                    assertThat(winners).as("winners in workspace %d, round %d", w, round).isEqualTo(1);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        for (int w = 0; w < workspaces; w++) {
            UUID workspace = owners.get(w).workspaceId();
            assertThat(count("SELECT latest_change_seq FROM workspaces WHERE workspace_id = ?", workspace))
                    .isEqualTo(rounds + 1);
            assertThat(count("SELECT count(DISTINCT change_seq) FROM item_versions WHERE workspace_id = ?", workspace))
                    .isEqualTo(rounds + 1);
            assertThat(files.get(w).getVersion()).isEqualTo(rounds + 1);
        }
    }

    @Test
    void whenARoundsTransactionFailsEachCallIsServedAlone() throws Exception {
        List<Device> devices = List.of(newUser(1L << 40), newUser(1L << 40), newUser(1L << 40));
        SyncStore failingBatches = new FailingBatches(new JdbcSyncStore(database.dataSource()));
        CommitService commits = new CommitService(failingBatches, new ItemNames(config.limits().maxNameBytes()),
                new ChangeLimits(config.limits().maxChunksPerItem(), config.limits().maxFileSizeBytes(),
                        config.limits().chunkNamePattern()), config.limits().maxItemsPerCommit(), CLOCK,
                ChunkVerifier.OFF);
        List<CommitCall> calls = new ArrayList<>();
        for (Device device : devices) {
            calls.add(new CommitCall(device.principal(), device.workspaceId(), "alone", new byte[32], List.of(
                    new ItemChange(0, "a", 0, "", 1, ItemStatus.NEW, "a.txt", "text/plain", false, "sha256:00",
                            5, 0, List.of()))));
        }

        List<CommitAnswer> answers = commits.commitAll(calls);

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.failure()).isNull();
            assertThat(answer.result().results().get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        });
        for (Device device : devices) {
            assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", device.workspaceId())).isEqualTo(1);
        }
    }

    @Test
    void whenTheDatabaseIsAwayTheCallsLeftAreAnsweredAfterOneTriedAlone() {
        List<Device> devices = List.of(newUser(1L << 40), newUser(1L << 40), newUser(1L << 40));
        AtomicInteger triedAlone = new AtomicInteger();
        SyncStore away = new FailingBatches(new JdbcSyncStore(database.dataSource())) {
            @Override
            public <T> T inWorkspaces(List<WorkspaceBatch.Access> accesses, int newItems,
                                       List<WorkspaceBatch.Prefetch> wants, Function<WorkspaceBatch, T> work) {
                if (accesses.size() == 1) {
                    triedAlone.incrementAndGet();
                }
                throw ServiceException.unavailable("the database is unavailable; retry later", Duration.ofSeconds(1),
                        null);
            }

        };
        CommitService commits = new CommitService(away, new ItemNames(config.limits().maxNameBytes()),
                new ChangeLimits(config.limits().maxChunksPerItem(), config.limits().maxFileSizeBytes(),
                        config.limits().chunkNamePattern()), config.limits().maxItemsPerCommit(), CLOCK,
                ChunkVerifier.OFF);
        List<CommitCall> calls = new ArrayList<>();
        // The first device twice: its second call waits for a round of its own.
        for (Device device : List.of(devices.get(0), devices.get(0), devices.get(1), devices.get(2))) {
            calls.add(new CommitCall(device.principal(), device.workspaceId(), "away-" + calls.size(), new byte[32],
                    List.of(new ItemChange(0, "a", 0, "", 1, ItemStatus.NEW, "a.txt", "text/plain", false,
                            "sha256:00", 5, 0, List.of()))));
        }

        List<CommitAnswer> answers = commits.commitAll(calls);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.failure())
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNAVAILABLE)));
        assertThat(triedAlone).as("calls tried alone after the round failed").hasValue(1);
    }

    /**
     * A store whose transactions over several workspaces fail, as a database error would make them;
     * a transaction of one workspace (a call served alone) succeeds.
     */
    private static class FailingBatches implements SyncStore {
        private final SyncStore store;

        FailingBatches(SyncStore store) {
            this.store = store;
        }

        @Override
        public <T> T inWorkspaces(List<WorkspaceBatch.Access> accesses, int newItems,
                                   List<WorkspaceBatch.Prefetch> wants, Function<WorkspaceBatch, T> work) {
            if (accesses.size() == 1) {
                return store.inWorkspaces(accesses, newItems, wants, work);
            }
            return store.inWorkspaces(accesses, newItems, wants, batch -> {
                work.apply(batch);
                throw new IllegalStateException("database operation failed (SQLState 23505)");
            });
        }

        @Override
        public <T> Optional<T> inSnapshot(UUID workspaceId, UUID userId, Function<ListingSnapshot, T> work) {
            return store.inSnapshot(workspaceId, userId, work);
        }

        @Override
        public Optional<WorkspaceSequence> sequence(UUID workspaceId, UUID userId) {
            return store.sequence(workspaceId, userId);
        }

        @Override
        public Optional<List<ItemVersion>> versions(UUID workspaceId, UUID userId, long itemId, long beforeVersion,
                                                    int limit) {
            return store.versions(workspaceId, userId, itemId, beforeVersion, limit);
        }

        @Override
        public boolean acknowledge(UUID workspaceId, UUID userId, UUID deviceId, long changeSeq) {
            return store.acknowledge(workspaceId, userId, deviceId, changeSeq);
        }
    }

    private static Device newUser(long quotaBytes) {
        String email = "batch-" + UUID.randomUUID() + "@example.org";
        String password = "pw-" + UUID.randomUUID();
        var user = components.accounts().createUser(email, "Batch", password, quotaBytes);
        Response login = processor.process(Request.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setLogin(LoginRequest.newBuilder().setEmail(email).setPassword(password).setDeviceName("laptop"))
                .build().toByteArray()).response();
        return new Device(user.userId(), UUID.fromString(login.getLogin().getDeviceId()), user.defaultWorkspaceId(),
                login.getLogin().getToken());
    }

    private static byte[] commit(Device device, String requestId, CommitItem... items) {
        return commitTo(device, device.workspaceId(), requestId, items);
    }

    private static byte[] commitTo(Device device, UUID workspaceId, String requestId, CommitItem... items) {
        return Request.newBuilder().setRequestId(requestId).setToken(device.token())
                .setCommit(CommitRequest.newBuilder().setWorkspaceId(workspaceId.toString()).addAllItems(List.of(items)))
                .build().toByteArray();
    }

    private static List<CommitResponse> commits(List<org.syncservice.server.rpc.RpcOutcome> outcomes) {
        List<CommitResponse> commits = new ArrayList<>();
        for (var outcome : outcomes) {
            assertThat(outcome.response().hasError()).as("answer %s", outcome.response()).isFalse();
            commits.add(outcome.response().getCommit());
        }
        return commits;
    }

    private static long count(String sql, UUID id) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
