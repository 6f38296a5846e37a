package org.syncservice.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.Principal;
import org.syncservice.server.testing.CommitRace;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.Seeded;
import org.syncservice.server.testing.SyncDevice;

/**
 * A member's downgrade to READER racing their commits, through the whole stack (commits batched as
 * the service batches them): each commit lands before the downgrade (its change_seq is at most the
 * workspace's sequence number when the role changed) or is refused with PERMISSION_DENIED; none is
 * stored after it. A failure names its seed; -Dsyncservice.test.roleRaceSeed=N replays it and
 * -Dsyncservice.test.roleRaceRounds=N sets the rounds (CI: 40, a few seconds; a long run:
 * -Dsyncservice.test.roleRaceRounds=2000).
 */
class RoleDowngradeRaceTest {
    private static final int ROUNDS = Integer.getInteger("syncservice.test.roleRaceRounds", 40);
    private static final int WRITERS = 3;
    @RegisterExtension
    static final RunningSync running = new RunningSync();

    @Test
    void aCommitRacingADowngradeLandsBeforeItOrIsRefusedNeverAfter() {
        Seeded.run("syncservice.test.roleRaceSeed", "the role downgrade race", random -> {
            SyncDevice ann = running.fixture().newUser("Ann");
            SyncDevice bob = running.fixture().newUser("Bob");
            List<SyncDevice> bobsDevices = CommitRace.writers(running.fixture(), bob, WRITERS);
            Item folder = ann.create(newFolder("f", "Shared"));
            UUID workspaceId = UUID.fromString(ann.client().shareFolder(ShareFolderRequest.newBuilder()
                    .setWorkspaceId(ann.workspace()).setFolderId(folder.getItemId())
                    .addEmails(bob.credentials().email()).build()).getWorkspace().getWorkspaceId());
            Principal owner = new Principal(ann.credentials().userId(), UUID.fromString(ann.deviceId()));
            RoleService roles = running.service().service().components().roles();
            String email = bob.credentials().email();
            CommitRace.Tally tally = new CommitRace(bobsDevices, workspaceId, ann).run(random, ROUNDS,
                    new CommitRace.Rounds() {
                        @Override
                        public void before(int round) {
                            roles.changeRole(owner, workspaceId, email, null, MemberRole.WRITER);
                        }

                        @Override
                        public long change() {
                            return roles.changeRole(owner, workspaceId, email, null, MemberRole.READER).atChangeSeq();
                        }
                    }, refused -> {
                        assertThat(refused.code()).as("%s", refused).isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
                        assertThat(refused.getMessage()).contains("you are a READER of this workspace");
                    });
            System.out.println("role downgrade race: " + tally.landed() + " commits landed before the downgrade, "
                    + tally.refused() + " refused, over " + ROUNDS + " rounds");
        });
    }
}
