package org.syncservice.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/** createUser provisions the default workspace's storage first and leaves nothing behind on failure. */
class UserStorageProvisioningTest {
    private static TestDatabase database;
    private static InMemoryChunkStorage storage;
    private static ServiceComponents components;

    @BeforeAll
    static void setUp() throws SQLException {
        database = TestDatabase.create();
        storage = new InMemoryChunkStorage(StorageConfig.Backend.S3);
        components = TestComponents.create(database, Map.of(), storage);
    }

    @AfterAll
    static void tearDown() throws SQLException {
        database.close();
    }

    private static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.org";
    }

    @Test
    void creatingAUserProvisionsTheStorageOfTheirDefaultWorkspace() {
        CreatedUser user = components.accounts().createUser(newEmail(), "Ann", "pw", 1 << 20);

        var workspace = components.workspaces().list(user.userId()).get(0);
        assertThat(workspace.workspaceId()).isEqualTo(user.defaultWorkspaceId());
        assertThat(storage.places()).contains(workspace.storage());
        assertThat(workspace.storage().prefix()).isEqualTo(user.defaultWorkspaceId() + "/");
    }

    @Test
    void whenStorageIsDownNoUserIsCreatedAndARetrySucceeds() {
        String email = newEmail();
        storage.failFromNowOn(true);
        try {
            assertThatThrownBy(() -> components.accounts().createUser(email, "Bob", "pw", 1 << 20))
                    .isInstanceOfSatisfying(ServiceException.class,
                            e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNAVAILABLE));
        } finally {
            storage.failFromNowOn(false);
        }

        CreatedUser user = components.accounts().createUser(email, "Bob", "pw", 1 << 20);

        assertThat(components.workspaces().list(user.userId())).hasSize(1);
    }

    @Test
    void aRefusedUserLeavesNoStorageBehind() {
        String email = newEmail();
        components.accounts().createUser(email, "Cid", "pw", 1 << 20);
        int places = storage.places().size();

        assertThatThrownBy(() -> components.accounts().createUser(email, "Cid again", "pw", 1 << 20))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.CONFLICT));

        assertThat(storage.places()).hasSize(places);
    }
}
