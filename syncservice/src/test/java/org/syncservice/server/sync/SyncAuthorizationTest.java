package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.moved;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ListItemVersionsRequest;
import org.syncservice.protocol.v1.RejectReason;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.SyncDevice;

/** No user reads or changes another user's workspace, nor learns anything of its items. */
class SyncAuthorizationTest {
    @RegisterExtension
    static final RunningSync running = new RunningSync();

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.isLocal()).as("a reply from the service: %s", e).isFalse();
            return e.code();
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void everySyncOperationOnAnotherUsersWorkspaceIsNotFoundAndChangesNothing() {
        SyncDevice owner = running.fixture().newUser("Owner");
        SyncDevice attacker = running.fixture().newUser("Mallory");
        Item folder = owner.create(newFolder("f", "Private"));
        Item file = owner.create(in(folder.getItemId(), newFile("t", "secret.txt", 10)));
        Item v2 = owner.commit(changed(file, 20)).getResults(0).getCurrent();
        SyncDevice.Listing before = owner.listAll();
        long quota = owner.quotaUsed();
        String ws = owner.workspace();
        SyncClient client = attacker.client();

        List<CommitItem> attempts = List.of(changed(v2, 1), renamed(v2, "mine.txt"), moved(v2, 0), deleted(v2),
                deleted(folder), newFile("x", "planted.txt", 1), in(folder.getItemId(), newFile("y", "p.txt", 1)));
        for (CommitItem attempt : attempts) {
            assertThat(codeOf(() -> client.commit(CommitRequest.newBuilder().setWorkspaceId(ws).addItems(attempt)
                    .build()))).as("%s", attempt).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        }
        assertThat(codeOf(() -> client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(ws).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(codeOf(() -> client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(ws)
                .setCursor(before.cursor()).build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(codeOf(() -> client.listItemVersions(ListItemVersionsRequest.newBuilder().setWorkspaceId(ws)
                .setItemId(file.getItemId()).build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(codeOf(() -> client.restoreVersion(RestoreVersionRequest.newBuilder().setWorkspaceId(ws)
                .setItemId(file.getItemId()).setVersion(1).setLatestVersion(2).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(codeOf(() -> client.acknowledgeChanges(AcknowledgeChangesRequest.newBuilder().setWorkspaceId(ws)
                .setChangeSeq(1).build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

        assertThat(owner.listAll().items()).isEqualTo(before.items());
        assertThat(owner.changeSeq()).isEqualTo(before.changeSeq());
        assertThat(owner.quotaUsed()).isEqualTo(quota);
        assertThat(owner.versions(file.getItemId())).hasSize(2);
    }

    @Test
    void aWorkspaceThatDoesNotExistLooksTheSameAsAnotherUsersOne() {
        SyncDevice attacker = running.fixture().newUser("Mallory");
        String nowhere = UUID.randomUUID().toString();

        assertThat(codeOf(() -> attacker.client().getChanges(GetChangesRequest.newBuilder().setWorkspaceId(nowhere)
                .build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(codeOf(() -> attacker.client().commit(CommitRequest.newBuilder().setWorkspaceId(nowhere)
                .addItems(newFile("t", "a", 1)).build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
    }

    @Test
    void anItemIdOfAnotherWorkspaceIsNotFoundInTheCallersOwnAndRevealsNothing() {
        SyncDevice owner = running.fixture().newUser("Owner");
        SyncDevice attacker = running.fixture().newUser("Mallory");
        Item folder = owner.create(newFolder("f", "Private"));
        Item file = owner.create(in(folder.getItemId(), newFile("t", "secret.txt", 10)));
        SyncDevice.Listing before = owner.listAll();
        long ownerQuota = owner.quotaUsed();

        for (CommitItem attempt : List.of(changed(file, 1), renamed(file, "mine.txt"), moved(file, 0),
                deleted(file), deleted(folder))) {
            CommitItemResult result = attacker.commit(attempt).getResults(0);
            assertThat(result.getOutcome()).as("%s", attempt).isEqualTo(COMMIT_OUTCOME_REJECTED);
            assertThat(result.getReason()).isEqualTo(RejectReason.REJECT_REASON_ITEM_NOT_FOUND);
            assertThat(result.hasCurrent()).as("reveals nothing: %s", result).isFalse();
            assertThat(result.getMessage()).doesNotContain("secret", "Private");
        }
        CommitItemResult asParent = attacker.commit(in(folder.getItemId(), newFile("x", "p.txt", 1))).getResults(0);
        assertThat(asParent.getReason()).isEqualTo(RejectReason.REJECT_REASON_INVALID_PARENT);
        assertThat(asParent.hasCurrent()).isFalse();

        String mine = attacker.workspace();
        assertThat(codeOf(() -> attacker.client().listItemVersions(ListItemVersionsRequest.newBuilder()
                .setWorkspaceId(mine).setItemId(file.getItemId()).build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(codeOf(() -> attacker.client().restoreVersion(RestoreVersionRequest.newBuilder()
                .setWorkspaceId(mine).setItemId(file.getItemId()).setVersion(1).setLatestVersion(1).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

        assertThat(attacker.listAll().items()).isEmpty();
        assertThat(owner.listAll().items()).isEqualTo(before.items());
        assertThat(owner.quotaUsed()).isEqualTo(ownerQuota);
    }
}
