package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.account.LoginAttempt;
import org.syncservice.server.account.LoginResult;
import org.syncservice.server.core.Principal;
import org.syncservice.server.sync.ChangePage;
import org.syncservice.server.sync.CommitOutcome;
import org.syncservice.server.sync.CommitResult;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/** The commit path's SQL against the real PostgreSQL: what a commit writes is what is read back. */
class JdbcSyncStoreTest {
    private static TestDatabase database;
    private static ServiceComponents components;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.create();
        components = TestComponents.create(database);
    }

    @AfterAll
    static void tearDown() throws Exception {
        database.close();
    }

    private record Device(Principal principal, UUID workspace) {
    }

    private static Device newDevice() {
        String email = "u" + UUID.randomUUID() + "@example.org";
        CreatedUser user = components.accounts().createUser(email, "User", "password-1", 1_000_000);
        LoginResult login = components.accounts().login(new LoginAttempt(email, "password-1", Optional.empty(),
                "laptop", "linux", "1", "login-" + UUID.randomUUID()));
        return new Device(new Principal(login.userId(), login.deviceId()), user.defaultWorkspaceId());
    }

    private static CommitResult commit(Device device, String requestId, ItemChange... changes) {
        return components.commits().commit(device.principal(), device.workspace(), requestId,
                HexFormat.of().parseHex("00" + Integer.toHexString(requestId.hashCode() & 0xff)), List.of(changes));
    }

    private static ItemChange folder(String tempId, String parentTempId, String name) {
        return new ItemChange(0, tempId, 0, parentTempId, 1, ItemStatus.NEW, name, "", true, "", 0, 0, List.of());
    }

    private static ItemChange file(String tempId, String parentTempId, String name, long size, String... chunks) {
        return new ItemChange(0, tempId, 0, parentTempId, 1, ItemStatus.NEW, name, "text/plain", false,
                "sha256:" + tempId, size, 1_700_000_000_000L, List.of(chunks));
    }

    @Test
    void aCommittedTreeIsListedParentsFirstWithItsChunks() {
        Device device = newDevice();

        CommitResult result = commit(device, "r1", folder("d", "", "docs"), folder("s", "d", "sub"),
                file("f", "s", "deep.txt", 7, "chunk0000a", "chunk0000b"));

        assertThat(result.results()).extracting(r -> r.outcome()).containsOnly(CommitOutcome.COMMITTED);
        assertThat(result.changeSeq()).isEqualTo(1);
        ChangePage page = components.changes().changes(device.principal(), device.workspace(), "", 0);
        assertThat(page.items()).extracting(ItemVersion::name).containsExactly("docs", "sub", "deep.txt");
        assertThat(page.items().get(2).chunks()).containsExactly("chunk0000a", "chunk0000b");
        assertThat(page.items().get(2).modifiedAtMs()).isEqualTo(1_700_000_000_000L);
        assertThat(page.changeSeq()).isEqualTo(1);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void aRetriedRequestGetsTheStoredAnswerAndStoresNothingMore() {
        Device device = newDevice();

        CommitResult first = commit(device, "same", file("f", "", "a.txt", 3, "chunk0000a"));
        CommitResult second = commit(device, "same", file("f", "", "a.txt", 3, "chunk0000a"));

        assertThat(second).isEqualTo(first);
        assertThat(components.accounts().accountInfo(device.principal().userId()).quotaUsedBytes()).isEqualTo(3);
    }

    @Test
    void deletingAFolderTombstonesItsSubtreeAndGivesTheQuotaBack() {
        Device device = newDevice();
        CommitResult created = commit(device, "c", folder("d", "", "docs"), file("f", "d", "a.txt", 5, "chunk0000a"));
        ItemVersion docs = created.results().get(0).current();
        String cursor = components.changes().changes(device.principal(), device.workspace(), "", 0).nextCursor();

        CommitResult deleted = commit(device, "d", new ItemChange(docs.itemId(), "", 0, "", 2, ItemStatus.DELETED,
                "docs", "", true, "", 0, 0, List.of()));

        assertThat(deleted.results().get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        ChangePage later = components.changes().changes(device.principal(), device.workspace(), cursor, 0);
        assertThat(later.items()).extracting(ItemVersion::name, ItemVersion::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("docs", ItemStatus.DELETED),
                org.assertj.core.groups.Tuple.tuple("a.txt", ItemStatus.DELETED));
        assertThat(components.accounts().accountInfo(device.principal().userId()).quotaUsedBytes()).isZero();
        assertThat(components.changes().changes(device.principal(), device.workspace(), "", 0).items()).isEmpty();
    }

    @Test
    void movingAFolderCarriesItsDescendantsDepths() {
        Device device = newDevice();
        CommitResult created = commit(device, "c", folder("a", "", "a"), folder("b", "", "b"),
                file("f", "b", "in-b.txt", 1, "chunk0000a"));
        ItemVersion a = created.results().get(0).current();
        ItemVersion b = created.results().get(1).current();

        commit(device, "m", new ItemChange(b.itemId(), "", a.itemId(), "", 2, ItemStatus.MOVED, "b", "", true, "",
                0, 0, List.of()));

        List<ItemVersion> listing = components.changes().changes(device.principal(), device.workspace(), "", 0).items();
        assertThat(listing).extracting(ItemVersion::name).containsExactly("a", "b", "in-b.txt");
    }
}
