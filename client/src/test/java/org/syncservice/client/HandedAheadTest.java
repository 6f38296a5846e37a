package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Item;

class HandedAheadTest {

    private static Item item(long id, long version, long changeSeq) {
        return Item.newBuilder().setItemId(id).setVersion(version).setChangeSeq(changeSeq).build();
    }

    @Test
    void aVersionAListingHandedOverFromACommitAboveItsNumberIsNotHandedOverAgain() {
        HandedAhead ahead = new HandedAhead();
        // The listing reached 5 but already carried item 2 of commit 6.
        ahead.remember("ws", List.of(item(1, 1, 4), item(2, 3, 6)), 5);

        // Commit 6's notification brings item 2 at version 3 again, and item 7 that the listing missed.
        assertThat(ahead.notHandedOver("ws", List.of(item(2, 3, 6), item(7, 1, 6))))
                .containsExactly(item(7, 1, 6));
        // A later version of the same item is news; another workspace is not concerned.
        assertThat(ahead.notHandedOver("ws", List.of(item(2, 4, 8)))).containsExactly(item(2, 4, 8));
        assertThat(ahead.notHandedOver("other", List.of(item(2, 3, 6)))).containsExactly(item(2, 3, 6));
    }

    @Test
    void onceTheWorkspacesNumberCoversThemTheyAreForgotten() {
        HandedAhead ahead = new HandedAhead();
        ahead.remember("ws", List.of(item(2, 3, 6), item(3, 1, 7)), 5);
        ahead.covered("ws", 6);
        assertThat(ahead.notHandedOver("ws", List.of(item(2, 3, 6), item(3, 1, 7)))).containsExactly(item(2, 3, 6));
        ahead.covered("ws", 7);
        assertThat(ahead.notHandedOver("ws", List.of(item(3, 1, 7)))).containsExactly(item(3, 1, 7));
    }
}
