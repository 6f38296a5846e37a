package org.syncservice.server.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.server.sync.CommitOutcome;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.RejectReason;

/** The tables between the sync logic's enums and the wire's, and the request hash. */
class ItemMappingTest {

    @Test
    void everyStatusOutcomeAndReasonOfTheLogicHasItsNamesakeOnTheWire() {
        for (ItemStatus status : ItemStatus.values()) {
            assertThat(ItemMapping.status(status).name()).isEqualTo("ITEM_STATUS_" + status.name());
            assertThat(ItemMapping.status(ItemMapping.status(status))).isEqualTo(status);
        }
        for (CommitOutcome outcome : CommitOutcome.values()) {
            for (RejectReason reason : RejectReason.values()) {
                CommitItemResult wire = ItemMapping.result(new ItemResult(0, "t", outcome, null, reason, "m"));
                assertThat(wire.getOutcome().name()).isEqualTo("COMMIT_OUTCOME_" + outcome.name());
                assertThat(wire.getReason().name()).isEqualTo("REJECT_REASON_" + reason.name());
            }
        }
    }

    @Test
    void theRequestHashIsTheSha256OfTheOperationsBytesOnEveryCall() throws Exception {
        CommitRequest commit = CommitRequest.newBuilder().setWorkspaceId("w").build();
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(commit.toByteArray());

        assertThat(ItemMapping.hash(commit)).isEqualTo(expected);
        assertThat(ItemMapping.hash(commit)).as("the digest is reset between calls").isEqualTo(expected);
        assertThat(ItemMapping.hash(CommitRequest.getDefaultInstance())).isNotEqualTo(expected);
    }
}
