package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.workspace.WorkspaceView;

/** {@code add-workspace --email E --name N}: an extra workspace owned by the user. */
final class AddWorkspaceCommand implements AdminCommand {

    @Override
    public String name() {
        return "add-workspace";
    }

    @Override
    public String summary() {
        return "create an extra (not default) workspace owned by a user";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Arguments.required("email", "EMAIL", "the owner's email"))
                .addOption(Arguments.required("name", "NAME", "the workspace's name, also its mount point"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        String email = Arguments.text(line, "email");
        var userId = environment.accounts().userIdForEmail(email);
        WorkspaceView workspace = environment.workspaces().createWorkspace(userId, Arguments.text(line, "name"));
        environment.out().println("created workspace " + workspace.workspaceId() + " '" + workspace.name()
                + "' owned by " + email);
        return ExitCode.OK;
    }
}
