package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Workspace;

class WorkspaceChoiceTest {
    private static final Workspace SHARED_BY_OTHER = Workspace.newBuilder().setWorkspaceId("w1").setName("Team")
            .setOwnerUserId("other").setShared(true).build();
    private static final Workspace DEFAULT = Workspace.newBuilder().setWorkspaceId("w2").setName("default")
            .setOwnerUserId("me").build();
    private static final Workspace SHARED_BY_ME = Workspace.newBuilder().setWorkspaceId("w3").setName("Photos")
            .setOwnerUserId("me").setShared(true).build();
    private static final List<Workspace> ALL = List.of(SHARED_BY_OTHER, SHARED_BY_ME, DEFAULT);

    @Test
    void theDefaultIsTheFirstOwnUnsharedWorkspace() {
        assertThat(WorkspaceChoice.choose(ALL, "me", Optional.empty())).isEqualTo(DEFAULT);
    }

    @Test
    void aNameChoosesItsWorkspace() {
        assertThat(WorkspaceChoice.choose(ALL, "me", Optional.of("Team"))).isEqualTo(SHARED_BY_OTHER);
    }

    @Test
    void anUnknownNameListsTheNamesThereAre() {
        assertThatThrownBy(() -> WorkspaceChoice.choose(ALL, "me", Optional.of("Nope")))
                .isInstanceOf(UsageException.class)
                .hasMessage("no workspace named 'Nope'; yours are: 'Team', 'Photos', 'default'");
    }

    @Test
    void noWorkspaceAtAllIsAFailure() {
        assertThatThrownBy(() -> WorkspaceChoice.choose(List.of(), "me", Optional.empty()))
                .isInstanceOf(CliFailure.class);
    }
}
