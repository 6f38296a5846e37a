package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.account.DeletedUser;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.storage.StorageLocation;

/**
 * {@code delete-user --email E}: the user's devices, owned workspaces and their items go in one
 * transaction. The chunks stay in storage; their locations are printed, one per line.
 */
final class DeleteUserCommand implements AdminCommand {

    @Override
    public String name() {
        return "delete-user";
    }

    @Override
    public String summary() {
        return "delete a user with their devices, workspaces and items (one transaction)";
    }

    @Override
    public Options options() {
        return new Options().addOption(Arguments.required("email", "EMAIL", "the user's email"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        DeletedUser deleted = environment.accounts().deleteUser(Arguments.text(line, "email"));
        environment.out().println("deleted user " + deleted.email() + " (" + deleted.userId() + "): "
                + deleted.devices() + " devices, " + deleted.workspaces() + " workspaces, " + deleted.items()
                + " items");
        for (StorageLocation location : deleted.storage()) {
            environment.out().println("chunks left in storage: " + location.backend().name().toLowerCase(
                    java.util.Locale.ROOT) + " " + location.container() + " " + location.prefix());
        }
        return ExitCode.OK;
    }
}
