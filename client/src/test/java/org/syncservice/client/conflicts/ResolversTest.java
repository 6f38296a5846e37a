package org.syncservice.client.conflicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Item;

class ResolversTest {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final Predicate<String> FREE = name -> false;

    private static Conflict conflict(long localModifiedMs, long remoteModifiedMs, boolean localInHistory) {
        Item remote = Item.newBuilder().setItemId(7).setName("plan.odt").setVersion(3).setSize(10)
                .setModifiedAtMs(remoteModifiedMs).setChecksum("sha256:bb").setDeviceId("dev-phone").build();
        return new Conflict("docs/plan.odt", new Conflict.LocalVersion(12, localModifiedMs, "sha256:aa", localInHistory),
                new Conflict.RemoteVersion(remote, "phone"), "laptop", DAY);
    }

    @Test
    void keepBothKeepsTheLocalEditAsACopyNamedAfterThisDevice() {
        Resolution resolution = ConflictResolver.keepBoth().resolve(conflict(2_000, 1_000, false), FREE);
        assertThat(resolution.outcome()).isEqualTo(Resolution.Outcome.KEEP_BOTH);
        assertThat(resolution.copyName()).contains("plan (conflicted copy from laptop 2026-12-03).odt");
    }

    @Test
    void keepBothAvoidsTakenNames() {
        Set<String> taken = Set.of("plan (conflicted copy from laptop 2026-12-03).odt");
        assertThat(new KeepBothResolver().resolve(conflict(1, 1, false), taken::contains).copyName())
                .contains("plan (conflicted copy from laptop 2026-12-03 2).odt");
    }

    @Test
    void newestWinsGivesANewerLocalEditTheNameAndKeepsTheRemoteVersionAsACopy() {
        Resolution resolution = ConflictResolver.newestWins().resolve(conflict(2_000, 1_000, false), FREE);
        assertThat(resolution.outcome()).isEqualTo(Resolution.Outcome.LOCAL_WINS);
        assertThat(resolution.copyName()).contains("plan (conflicted copy from phone 2026-12-03).odt");
    }

    @Test
    void newestWinsGivesANewerRemoteVersionTheNameAndKeepsTheLocalEditAsACopy() {
        Resolution resolution = new NewestWinsResolver().resolve(conflict(1_000, 2_000, false), FREE);
        assertThat(resolution).isEqualTo(Resolution.keepBoth("plan (conflicted copy from laptop 2026-12-03).odt"));
    }

    @Test
    void newestWinsKeepsBothOnATie() {
        assertThat(new NewestWinsResolver().resolve(conflict(1_000, 1_000, false), FREE))
                .isEqualTo(new KeepBothResolver().resolve(conflict(1_000, 1_000, false), FREE));
    }

    @Test
    void aRemoteDeviceWithoutKnownNameIsNamedByItsId() {
        Item remote = Item.newBuilder().setName("plan.odt").setModifiedAtMs(1).setDeviceId("dev-phone").build();
        Conflict conflict = new Conflict("plan.odt", new Conflict.LocalVersion(1, 2, "sha256:aa", false),
                new Conflict.RemoteVersion(remote, ""), "laptop", DAY);
        assertThat(new NewestWinsResolver().resolve(conflict, FREE).copyName())
                .contains("plan (conflicted copy from dev-phone 2026-12-03).odt");
    }

    @Test
    void anApplicationsOwnResolverIsALambda() {
        ConflictResolver localAlways = (conflict, taken) -> Resolution.localWins();
        Resolution resolution = localAlways.resolve(conflict(1, 2, false), FREE);
        assertThat(resolution.outcome()).isEqualTo(Resolution.Outcome.LOCAL_WINS);
        assertThat(resolution.copyName()).isEmpty();
    }

    @Test
    void remoteWinsOnlyWhereTheLocalContentIsInVersionHistory() {
        assertThat(Resolution.remoteWins(conflict(1, 2, true)).outcome()).isEqualTo(Resolution.Outcome.REMOTE_WINS);
        assertThatThrownBy(() -> Resolution.remoteWins(conflict(1, 2, false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("docs/plan.odt");
    }

    @Test
    void aCopyNameMustBeAFileNameWithinTheLimit() {
        assertThatThrownBy(() -> Resolution.keepBoth("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resolution.keepBoth("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resolution.keepBoth("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resolution.localWinsKeepingRemoteCopy("é".repeat(128)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConflictNamesItsFileByThePathsLastName() {
        assertThat(conflict(1, 1, false).name()).isEqualTo("plan.odt");
        assertThatThrownBy(() -> new Conflict("/abs", new Conflict.LocalVersion(0, 0, "", false),
                new Conflict.RemoteVersion(Item.getDefaultInstance(), ""), "laptop", DAY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
