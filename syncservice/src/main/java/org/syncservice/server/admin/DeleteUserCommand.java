package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.account.DeletedUser;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.storage.StorageLocation;

/**
 * {@code delete-user --email E}: the user's devices, owned workspaces and their items go in one
 * transaction; then the workspaces' places in storage are removed with their chunks. Each place is
 * printed, one per line, saying whether it was removed; one that could not be (storage down) is
 * left for the operator and the command exits 1.
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
            String place = location.backend().name().toLowerCase(java.util.Locale.ROOT) + " " + location.container()
                    + " " + location.prefix();
            environment.out().println(deleted.storageLeft().contains(location)
                    ? "chunks NOT removed from storage (unreachable; remove them there): " + place
                    : "chunks removed from storage: " + place);
        }
        return deleted.storageLeft().isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
    }
}
