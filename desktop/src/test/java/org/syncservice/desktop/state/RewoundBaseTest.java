package org.syncservice.desktop.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncservice.desktop.state.RewoundBase.Decision;

class RewoundBaseTest {
    private static SyncedItem synced(long version, long parent, String name, String checksum) {
        return new SyncedItem(7, parent, name, false, version, checksum, 3, 1000, List.of("chunk-" + checksum),
                "inode-7", 3, 1000);
    }

    private static RemoteItem listed(long version, long parent, String name, String checksum) {
        return new RemoteItem(7, parent, name, false, version, false, checksum, 3, 1000, List.of("chunk-" + checksum),
                "device");
    }

    @Test
    void anItemListedExactlyAsAgreedKeepsItsBase() {
        assertThat(RewoundBase.decide(synced(2, 0, "a.txt", "x"), listed(2, 0, "a.txt", "x"))).isEqualTo(Decision.KEEP);
    }

    @Test
    void anItemTheServiceHasAtAnEarlierVersionIsPushedAgainFromIt() {
        // Edited, renamed or moved after the backup: the device's state came after the listed one.
        assertThat(RewoundBase.decide(synced(3, 0, "a.txt", "new"), listed(2, 0, "a.txt", "old")))
                .isEqualTo(Decision.REBASE);
        assertThat(RewoundBase.decide(synced(2, 5, "b.txt", "x"), listed(1, 0, "a.txt", "x")))
                .isEqualTo(Decision.REBASE);
    }

    @Test
    void anItemTheServiceLacksIsForgottenSoThatItsFileIsUploadedAgainNotDeleted() {
        assertThat(RewoundBase.decide(synced(1, 0, "new.txt", "x"), null)).isEqualTo(Decision.FORGET);
        RemoteItem tombstone = new RemoteItem(7, 0, "new.txt", false, 2, true, "", 0, 0, List.of(), "device");
        assertThat(RewoundBase.decide(synced(1, 0, "new.txt", "x"), tombstone)).isEqualTo(Decision.FORGET);
    }

    @Test
    void anItemWhoseHistoriesMayHaveForkedIsForgottenAndMatchedAgainByContent() {
        // The same version with another state: each history made its own version 3.
        assertThat(RewoundBase.decide(synced(3, 0, "a.txt", "mine"), listed(3, 0, "a.txt", "theirs")))
                .isEqualTo(Decision.FORGET);
        // A later version: whether the device's version 2 is the service's cannot be told.
        assertThat(RewoundBase.decide(synced(2, 0, "a.txt", "mine"), listed(4, 0, "a.txt", "theirs")))
                .isEqualTo(Decision.FORGET);
        RemoteItem folder = new RemoteItem(7, 0, "a.txt", true, 1, false, "", 0, 0, List.of(), "device");
        assertThat(RewoundBase.decide(synced(2, 0, "a.txt", "x"), folder)).isEqualTo(Decision.FORGET);
    }
}
