package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LiveItemDigestTest {

    @Test
    void theDigestIsTheSha256OfItemIdVersionLinesAsProtocolMdDefinesIt() {
        LiveItemDigest digest = new LiveItemDigest();
        digest.add(7, 2);
        digest.add(12, 1);
        assertThat(digest.count()).isEqualTo(2);
        // SHA-256 of "7:2\n12:1\n"; the SDK's WorkspaceDigestTest checks the same example.
        assertThat(digest.hex()).isEqualTo("b9054fa8ece903c8828896c0988a6925ebbd9a617c8be31c6d08bb025f19df4e");
    }

    @Test
    void itemsOutOfOrderAreRefusedRatherThanGivingADigestNoClientComputes() {
        LiveItemDigest digest = new LiveItemDigest();
        digest.add(12, 1);
        assertThatThrownBy(() -> digest.add(7, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
