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
import org.syncservice.server.testing.CommitRace;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.Seeded;
import org.syncservice.server.testing.SyncDevice;

/**
 * A user removed from a group racing their commits to a workspace shared with the group, through
 * the whole stack (commits batched as the service batches them): each commit lands before the
 * removal (its change_seq is at most the workspace's sequence number when he left it) or
 * is refused with NOT_FOUND; none is stored after it. A failure names its seed;
 * -Dsyncservice.test.groupRaceSeed=N replays it and -Dsyncservice.test.groupRaceRounds=N sets the
 * rounds (CI: 30, a few seconds; a long run: -Dsyncservice.test.groupRaceRounds=2000).
 */
class GroupRemovalRaceTest {
    private static final int ROUNDS = Integer.getInteger("syncservice.test.groupRaceRounds", 30);
    private static final int WRITERS = 3;
    @RegisterExtension
    static final RunningSync running = new RunningSync();

    @Test
    void aCommitRacingItsAuthorsRemovalFromTheGroupLandsBeforeItOrIsRefusedNeverAfter() {
        Seeded.run("syncservice.test.groupRaceSeed", "the group removal race", random -> {
            SyncDevice ann = running.fixture().newUser("Ann");
            SyncDevice bob = running.fixture().newUser("Bob");
            List<SyncDevice> bobsDevices = CommitRace.writers(running.fixture(), bob, WRITERS);
            GroupService groups = running.service().service().components().groups();
            UUID annId = ann.credentials().userId();
            UUID teamId = groups.create(annId, "Team").groupId();
            Item folder = ann.create(newFolder("f", "Shared"));
            UUID workspaceId = UUID.fromString(ann.client().shareFolder(ShareFolderRequest.newBuilder()
                    .setWorkspaceId(ann.workspace()).setFolderId(folder.getItemId())
                    .addGroupIds(teamId.toString()).build()).getWorkspace().getWorkspaceId());
            String email = bob.credentials().email();
            CommitRace.Tally tally = new CommitRace(bobsDevices, workspaceId, ann).run(random, ROUNDS, new CommitRace.Rounds() {
                @Override
                public void before(int round) {
                    groups.addMember(annId, teamId, email);
                }

                @Override
                public long change() {
                    Long atChangeSeq = groups.removeMember(annId, teamId, email).left().get(workspaceId);
                    assertThat(atChangeSeq).as("Bob left the workspace").isNotNull();
                    return atChangeSeq;
                }
            }, refused -> assertThat(refused.code()).as("%s", refused).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND));
            System.out.println("group removal race: " + tally.landed() + " commits landed before the removal, "
                    + tally.refused() + " refused, over " + ROUNDS + " rounds");
        });
    }
}
