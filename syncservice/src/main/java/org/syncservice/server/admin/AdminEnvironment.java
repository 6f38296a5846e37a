package org.syncservice.server.admin;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.retention.Retention;
import org.syncservice.server.status.StatusStore;
import org.syncservice.server.sync.CursorKeyStore;
import org.syncservice.server.workspace.GroupService;
import org.syncservice.server.workspace.WorkspaceService;

/**
 * What an admin command works with: the service logic, wired as the running service wires it,
 * and the terminal. The database and the storage back-end are each opened on first use, so a
 * command that fails on its arguments never connects, and one that needs no chunks never touches
 * storage. Not thread-safe: one command runs at a time.
 */
public interface AdminEnvironment {

    /** @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database cannot be used */
    AccountService accounts();

    /** @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database cannot be used */
    WorkspaceService workspaces();

    /** @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database cannot be used */
    GroupService groups();

    /** @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database cannot be used */
    StatusStore status();

    /** @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database cannot be used */
    OutboxStore outbox();

    /** @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database cannot be used */
    CursorKeyStore cursorKeys();

    /**
     * The metadata purge and the chunk collector, over the configured database and storage.
     *
     * @throws org.syncservice.server.core.ServiceException UNAVAILABLE when the database or storage cannot be used
     */
    Retention retention();

    /** The configured database, for messages (no credentials). */
    String databaseDescription();

    /** The configured broker, for messages (no credentials). */
    String brokerDescription();

    /** Connects to the broker and disconnects; empty when that worked, else why not. */
    Optional<String> brokerProblem();

    /** The configured storage back-end, for messages (no credentials). */
    String storageDescription();

    /**
     * Asks the storage back-end whether it answers and its place of chunks exists, creating
     * nothing; empty when it does, else why not.
     */
    Optional<String> storageProblem();

    InputStream in();

    PrintStream out();

    /** The process environment (secrets such as {@code SYNCSERVICE_PASSWORD} come from here, never from argv). */
    Map<String, String> env();
}
