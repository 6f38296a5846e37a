package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkspaceDigestTest {

    @Test
    void theDigestIsTheSha256OfItemIdVersionLinesInAscendingNumericItemIdOrder() {
        Map<Long, Long> copy = new HashMap<>();
        copy.put(12L, 1L);
        copy.put(7L, 2L);
        // protocol.md 7.19's example: SHA-256 of "7:2\n12:1\n" (12 after 7: numeric, not text, order).
        assertThat(WorkspaceDigest.of(copy)).isEqualTo(
                new WorkspaceDigest(2, "b9054fa8ece903c8828896c0988a6925ebbd9a617c8be31c6d08bb025f19df4e"));
    }

    @Test
    void anEmptyCopyHasTheDigestOfNoBytes() {
        assertThat(WorkspaceDigest.of(Map.of())).isEqualTo(
                new WorkspaceDigest(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }
}
