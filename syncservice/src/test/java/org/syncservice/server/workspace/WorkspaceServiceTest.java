package org.syncservice.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

class WorkspaceServiceTest {
    private static TestDatabase database;
    private static ServiceComponents components;
    private static WorkspaceService workspaces;

    @BeforeAll
    static void setUp() throws SQLException {
        database = TestDatabase.create();
        components = TestComponents.create(database);
        workspaces = components.workspaces();
    }

    @AfterAll
    static void tearDown() throws SQLException {
        database.close();
    }

    private static CreatedUser newUser() {
        return components.accounts().createUser(UUID.randomUUID() + "@example.org", "U", "pw", 0);
    }

    private static ServiceException.Kind kindOf(Runnable action) {
        try {
            action.run();
        } catch (ServiceException e) {
            return e.kind();
        }
        throw new AssertionError("expected a ServiceException");
    }

    @Test
    void aUserSeesOnlyTheWorkspacesTheyAreAMemberOf() {
        CreatedUser ann = newUser();
        newUser();

        assertThat(workspaces.list(ann.userId())).extracting(WorkspaceView::workspaceId)
                .containsExactly(ann.defaultWorkspaceId());
    }

    @Test
    void unsetFieldsKeepTheirValues() {
        CreatedUser ann = newUser();

        workspaces.updateOwnView(ann.userId(), ann.defaultWorkspaceId(), Optional.of("Mine"), Optional.empty());
        WorkspaceView view = workspaces.updateOwnView(ann.userId(), ann.defaultWorkspaceId(), Optional.empty(),
                Optional.of("Cloud"));

        assertThat(view.name()).isEqualTo("Mine");
        assertThat(view.mountPoint()).isEqualTo("Cloud");
    }

    @Test
    void anotherUsersWorkspaceIsNotFoundAndUnchanged() {
        CreatedUser ann = newUser();
        CreatedUser bob = newUser();

        assertThat(kindOf(() -> workspaces.updateOwnView(ann.userId(), bob.defaultWorkspaceId(), Optional.of("x"),
                Optional.empty()))).isEqualTo(ServiceException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> workspaces.updateOwnView(ann.userId(), bob.defaultWorkspaceId(), Optional.empty(),
                Optional.empty()))).isEqualTo(ServiceException.Kind.NOT_FOUND);
        assertThat(workspaces.list(bob.userId()).get(0).name()).isEqualTo("default");
    }

    @Test
    void invalidNamesAndMountPointsAreRefusedBeforeAnythingChanges() {
        CreatedUser ann = newUser();

        assertThat(kindOf(() -> workspaces.updateOwnView(ann.userId(), ann.defaultWorkspaceId(), Optional.of(".."),
                Optional.empty()))).isEqualTo(ServiceException.Kind.INVALID_ARGUMENT);
        assertThat(kindOf(() -> workspaces.updateOwnView(ann.userId(), ann.defaultWorkspaceId(), Optional.of("ok"),
                Optional.of("a/../b")))).isEqualTo(ServiceException.Kind.INVALID_ARGUMENT);
        assertThat(workspaces.list(ann.userId()).get(0).name()).isEqualTo("default");
    }
}
