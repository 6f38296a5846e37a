package org.syncservice.server.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.notify.OutboxEvent;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.ItemVersion;

/** Notifications stay within notifications.max-notification-bytes whatever a commit wrote. */
class NotificationWireTest {
    private static final int BUDGET = 64 * 1024;
    private static final UUID WORKSPACE = UUID.randomUUID();

    private static ItemVersion file(long itemId, int chunks) {
        List<String> names = IntStream.range(0, chunks)
                .mapToObj(i -> String.format("%064x", (itemId << 20) + i)).toList();
        return new ItemVersion(itemId, WORKSPACE, 0, "file-" + itemId + ".bin", false, 1, ItemStatus.NEW,
                "application/octet-stream", "sha256:" + "ab".repeat(32), chunks * 4_194_304L, 1_700_000_000_000L,
                names, 7, UUID.randomUUID(), 1_700_000_000_000L);
    }

    private static CommitNotification encode(List<ItemVersion> items, int budget) throws Exception {
        OutboxEvent.Commit commit = new OutboxEvent.Commit(42, WORKSPACE, 7, UUID.randomUUID(), "req-7", items,
                items.size(), false);
        byte[] body = new NotificationWire(budget).encode(commit, 1_700_000_000_000L);
        assertThat(body.length).as("encoded size").isLessThanOrEqualTo(budget);
        return Notification.parseFrom(body).getCommit();
    }

    @Test
    void aCommitWhoseItemsCarryThousandsOfChunkNamesListsOnlyTheItemsThatFit() throws Exception {
        List<ItemVersion> items = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            items.add(file(i, 1_000));
        }

        CommitNotification commit = encode(items, BUDGET);

        assertThat(commit.getItemsOmitted()).isTrue();
        assertThat(commit.getItemCount()).isEqualTo(100);
        // Each item is about 70 KB of chunk names: not even one fits 64 KiB.
        assertThat(commit.getItemsList()).isEmpty();
        assertThat(commit.getChangeSeq()).isEqualTo(7);
        assertThat(commit.getWorkspaceId()).isEqualTo(WORKSPACE.toString());
    }

    @Test
    void itemsBeyondTheBudgetAreLeftOutAndTheFirstOnesKeptInOrder() throws Exception {
        List<ItemVersion> items = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            items.add(file(i, 40));
        }

        CommitNotification commit = encode(items, BUDGET);

        assertThat(commit.getItemsOmitted()).isTrue();
        assertThat(commit.getItemCount()).isEqualTo(100);
        assertThat(commit.getItemsCount()).isBetween(1, 99);
        for (int i = 0; i < commit.getItemsCount(); i++) {
            assertThat(commit.getItems(i).getItemId()).isEqualTo(i + 1);
        }
        // One more item would not have fitted.
        List<ItemVersion> oneMore = items.subList(0, commit.getItemsCount() + 1);
        assertThat(encodedSizeWithoutBudget(oneMore)).isGreaterThan(BUDGET);
    }

    @Test
    void aCommitThatFitsIsListedWhole() throws Exception {
        List<ItemVersion> items = List.of(file(1, 3), file(2, 3));

        CommitNotification commit = encode(items, BUDGET);

        assertThat(commit.getItemsOmitted()).isFalse();
        assertThat(commit.getItemCount()).isEqualTo(2);
        assertThat(commit.getItemsList()).extracting(i -> i.getItemId()).containsExactly(1L, 2L);
    }

    private static int encodedSizeWithoutBudget(List<ItemVersion> items) {
        OutboxEvent.Commit commit = new OutboxEvent.Commit(42, WORKSPACE, 7, UUID.randomUUID(), "req-7", items,
                items.size(), false);
        return new NotificationWire(Integer.MAX_VALUE).encode(commit, 1_700_000_000_000L).length;
    }

    @Test
    void lockEventsCarryTheLockAndHowItEnded() throws Exception {
        UUID workspace = UUID.randomUUID();
        var lock = new org.syncservice.server.sync.ItemLock(7, workspace, UUID.randomUUID(), UUID.randomUUID(), "Ann",
                "laptop", "editing", 1_000, 2_000);
        NotificationWire wire = new NotificationWire(65_536);

        Notification locked = Notification.parseFrom(wire.encode(new OutboxEvent.ItemLockChange(5, lock, null), 3));
        assertThat(locked.getNotificationId()).isEqualTo("o5");
        assertThat(locked.getItemLock().getKind()).isEqualTo(org.syncservice.protocol.v1.ItemLockEventKind.ITEM_LOCK_EVENT_KIND_LOCKED);
        assertThat(locked.getItemLock().getWorkspaceId()).isEqualTo(workspace.toString());
        assertThat(locked.getItemLock().getItemId()).isEqualTo(7);
        assertThat(locked.getItemLock().getLock().getHolderDeviceName()).isEqualTo("laptop");
        assertThat(locked.getItemLock().getLock().getExpiresAtMs()).isEqualTo(2_000);

        Notification broken = Notification.parseFrom(wire.encode(new OutboxEvent.ItemLockChange(6, lock,
                org.syncservice.server.sync.LockEnd.BROKEN), 3));
        assertThat(broken.getItemLock().getKind())
                .isEqualTo(org.syncservice.protocol.v1.ItemLockEventKind.ITEM_LOCK_EVENT_KIND_UNLOCKED);
        assertThat(broken.getItemLock().getEnd()).isEqualTo(org.syncservice.protocol.v1.LockEnd.LOCK_END_BROKEN);
        assertThat(org.syncservice.server.notify.NotificationRoutes.routingKeys(new OutboxEvent.ItemLockChange(6, lock,
                null))).containsExactly("ws." + workspace);
    }
}
