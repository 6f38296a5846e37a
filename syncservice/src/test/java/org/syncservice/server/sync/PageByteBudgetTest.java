package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/** A getChanges page ends at limits.page-bytes before it reaches its size in items, with at least one item. */
class PageByteBudgetTest {
    private static final int PAGE_BYTES = 8192;
    /** 128 characters, the longest the default chunk name pattern allows. */
    private static final String LONG_CHUNK = String.join("", Collections.nCopies(16, "chunk-00"));

    private static TestDatabase database;
    private static ServiceComponents components;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.create();
        components = TestComponents.create(database, Map.of("limits.page-bytes", Integer.toString(PAGE_BYTES)));
    }

    @AfterAll
    static void tearDown() throws Exception {
        database.close();
    }

    private static Principal newUser(UUID[] workspace) {
        String email = "u" + UUID.randomUUID() + "@example.org";
        CreatedUser user = components.accounts().createUser(email, "User", "password-1", 1L << 40);
        LoginResult login = components.accounts().login(new LoginAttempt(email, "password-1", Optional.empty(),
                "laptop", "linux", "1", "login-" + UUID.randomUUID()));
        workspace[0] = user.defaultWorkspaceId();
        return new Principal(login.userId(), login.deviceId());
    }

    private static ItemChange fileWithChunks(String name, int chunks) {
        return new ItemChange(0, name, 0, "", 1, ItemStatus.NEW, name, "application/octet-stream", false, "", chunks,
                0, Collections.nCopies(chunks, LONG_CHUNK));
    }

    @Test
    void aPageStopsBeforeItsItemsOutgrowTheByteBudgetAndTheListingGoesOnFromThere() {
        UUID[] workspace = new UUID[1];
        Principal ann = newUser(workspace);
        // About 3,300 bytes each: two fit in 8 KiB, a third does not.
        List<ItemChange> files = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            files.add(fileWithChunks("f" + i, 25));
        }
        components.commits().commit(ann, workspace[0], "r1", new byte[] {1}, files);

        List<Integer> pageSizes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String cursor = "";
        ChangePage page;
        do {
            page = components.changes().changes(ann, workspace[0], cursor, 100);
            pageSizes.add(page.items().size());
            page.items().forEach(item -> names.add(item.name()));
            long bytes = page.items().stream().mapToLong(ItemWireSize::of).sum();
            assertThat(bytes).isLessThanOrEqualTo(PAGE_BYTES);
            cursor = page.nextCursor();
        } while (page.hasMore());

        assertThat(pageSizes).containsExactly(2, 2, 2, 1);
        assertThat(names).containsExactlyInAnyOrder("f0", "f1", "f2", "f3", "f4", "f5", "f6");
    }

    @Test
    void anItemLargerThanTheBudgetIsAPageOfItsOwn() {
        UUID[] workspace = new UUID[1];
        Principal ann = newUser(workspace);
        components.commits().commit(ann, workspace[0], "r1", new byte[] {1},
                List.of(fileWithChunks("huge", 200), fileWithChunks("small", 1)));

        ChangePage first = components.changes().changes(ann, workspace[0], "", 100);
        ChangePage second = components.changes().changes(ann, workspace[0], first.nextCursor(), 100);

        assertThat(ItemWireSize.of(first.items().get(0))).isGreaterThan(PAGE_BYTES);
        assertThat(first.items()).extracting(ItemVersion::name).containsExactly("huge");
        assertThat(first.hasMore()).isTrue();
        assertThat(second.items()).extracting(ItemVersion::name).containsExactly("small");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void theEstimateIsAtLeastTheWireSize() {
        ItemVersion item = new ItemVersion(Long.MAX_VALUE, UUID.randomUUID(), Long.MAX_VALUE, "ünïcødé name",
                false, Long.MAX_VALUE, ItemStatus.CHANGED, "text/plain", "sha256:abc", Long.MAX_VALUE,
                Long.MAX_VALUE, Collections.nCopies(50, LONG_CHUNK), Long.MAX_VALUE, UUID.randomUUID(),
                Long.MAX_VALUE);
        org.syncservice.protocol.v1.GetChangesResponse wire = org.syncservice.protocol.v1.GetChangesResponse
                .newBuilder().addItems(org.syncservice.protocol.v1.Item.newBuilder().setItemId(item.itemId())
                        .setWorkspaceId(item.workspaceId().toString()).setParentId(item.parentId())
                        .setName(item.name()).setIsFolder(true).setVersion(item.version())
                        .setStatusValue(5).setMimeType(item.mimeType()).setChecksum(item.checksum())
                        .setSize(item.size()).setModifiedAtMs(item.modifiedAtMs()).addAllChunks(item.chunks())
                        .setChangeSeq(item.changeSeq()).setDeviceId(item.deviceId().toString())
                        .setCommittedAtMs(item.committedAtMs())).build();

        assertThat(ItemWireSize.of(item)).isGreaterThanOrEqualTo(wire.getSerializedSize());
    }
}
