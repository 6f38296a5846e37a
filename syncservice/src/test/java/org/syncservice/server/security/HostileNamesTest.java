package org.syncservice.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED;
import static org.syncservice.protocol.v1.RejectReason.REJECT_REASON_INVALID_NAME;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.UpdateDeviceRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * Names and strings meant to break something: SQL, path traversal, control characters, very long
 * values and very deep folders, end to end. Each is stored exactly as given or refused with a clear
 * reason, and the schema is intact afterwards.
 */
class HostileNamesTest {
    private static RunningService service;
    private static SyncFixture fixture;
    private static List<String> tablesBefore;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
        fixture = new SyncFixture(service);
        tablesBefore = tables();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            assertThat(tables()).as("the schema after every hostile name").isEqualTo(tablesBefore);
        } finally {
            fixture.close();
            service.close();
        }
    }

    @Test
    void sqlInANameIsStoredAsPlainText() throws SQLException {
        SyncDevice ann = fixture.newUser("Ann");
        List<String> names = List.of("'; DROP TABLE items; --", "Robert'); DELETE FROM users;--",
                "\" OR 1=1 --", "$$; TRUNCATE item_versions; $$", "%_\\");
        for (int i = 0; i < names.size(); i++) {
            assertThat(ann.create(newFile("t" + i, names.get(i), 10)).getName()).isEqualTo(names.get(i));
        }
        assertThat(ann.listAll().items()).extracting(Item::getName).containsExactlyInAnyOrderElementsOf(names);
        assertThat(tables()).isEqualTo(tablesBefore);
    }

    @Test
    void pathTraversalAndReservedNamesAreInvalidNames() {
        SyncDevice ann = fixture.newUser("Ann");
        for (String name : List.of("../../etc/passwd", "..", ".", "a/b", "/etc", "..\\..\\windows", "")) {
            CommitItemResult result = ann.commit(newFile("t", name, 10)).getResults(0);
            if (name.contains("\\")) {
                // Backslash is an ordinary character on the server; clients map it as their file system needs.
                continue;
            }
            assertThat(result.getOutcome()).as(name).isEqualTo(COMMIT_OUTCOME_REJECTED);
            assertThat(result.getReason()).as(name).isEqualTo(REJECT_REASON_INVALID_NAME);
            assertThat(result.getMessage()).as(name).isNotBlank();
        }
        assertThat(ann.listAll().items()).extracting(Item::getName).containsOnly("..\\..\\windows");
    }

    @Test
    void controlCharactersInNamesAreRefused() {
        SyncDevice ann = fixture.newUser("Ann");
        for (String name : List.of("a\u0000b", "line\nbreak", "tab\there", "bell\u0007", "del\u007f", "\r")) {
            CommitItemResult result = ann.commit(newFile("t", name, 10)).getResults(0);
            assertThat(result.getOutcome()).as("%s", name.chars().boxed().toList()).isEqualTo(COMMIT_OUTCOME_REJECTED);
            assertThat(result.getReason()).isEqualTo(REJECT_REASON_INVALID_NAME);
        }
        assertThat(ann.listAll().items()).isEmpty();
    }

    @Test
    void veryLongNamesAndStringsAreRefusedWithAClearError() {
        SyncDevice ann = fixture.newUser("Ann");
        int maxNameBytes = service.config().limits().maxNameBytes();
        assertThat(ann.create(newFile("ok", "n".repeat(maxNameBytes), 1)).getName()).hasSize(maxNameBytes);
        for (String name : List.of("n".repeat(maxNameBytes + 1), "é".repeat(maxNameBytes / 2 + 1), "x".repeat(100_000))) {
            CommitItemResult result = ann.commit(newFile("t", name, 10)).getResults(0);
            assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_REJECTED);
            assertThat(result.getReason()).isEqualTo(REJECT_REASON_INVALID_NAME);
            assertThat(result.getMessage()).containsIgnoringCase("bytes");
        }
        SyncServiceException device = catchService(() -> ann.client().updateDevice(
                UpdateDeviceRequest.newBuilder().setName("d".repeat(100_000)).build()));
        assertThat(device.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(device.field()).isPresent();
        SyncServiceException workspace = catchService(() -> ann.client().updateWorkspace(
                UpdateWorkspaceRequest.newBuilder().setWorkspaceId(ann.workspace()).setName("w".repeat(100_000))
                        .build()));
        assertThat(workspace.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(ann.listAll().items()).hasSize(1);
    }

    @Test
    void twoHundredNestedFoldersAreStoredAndListedParentsFirst() {
        SyncDevice ann = fixture.newUser("Ann");
        int depth = 200;
        List<CommitItem> chain = new ArrayList<>();
        chain.add(newFolder("d0", "level-0"));
        for (int i = 1; i < depth; i++) {
            chain.add(newFolder("d" + i, "d" + (i - 1), "level-" + i));
        }
        chain.add(newFile("leaf", "d" + (depth - 1), "deep.txt", 5));

        CommitResponse response = ann.commit(chain);

        assertThat(response.getResultsList()).extracting(CommitItemResult::getOutcome)
                .containsOnly(COMMIT_OUTCOME_COMMITTED).hasSize(depth + 1);
        List<Item> listed = ann.listFrom("", 17).items();
        assertThat(listed).hasSize(depth + 1);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Item item : listed) {
            assertThat(item.getParentId() == 0 || seen.contains(item.getParentId()))
                    .as("%s comes after its parent", item.getName()).isTrue();
            seen.add(item.getItemId());
        }
        // A deep folder deleted: its whole subtree goes, and the quota with it.
        Item top = ann.listAll().named("level-0");
        assertThat(ann.commit(org.syncservice.server.testing.CommitItems.deleted(top)).getResults(0).getOutcome())
                .isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(ann.listAll().items()).isEmpty();
        assertThat(ann.quotaUsed()).isZero();
    }

    private static SyncServiceException catchService(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private static List<String> tables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = service.database().dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT table_name || ':' || (SELECT count(*) FROM"
                     + " information_schema.columns c WHERE c.table_name = t.table_name AND c.table_schema = 'public')"
                     + " FROM information_schema.tables t WHERE table_schema = 'public' ORDER BY 1")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
