package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.cli.ExitCode;

/** {@code add-user --email E --name N --quota BYTES}: a user and their default workspace. */
final class AddUserCommand implements AdminCommand {

    @Override
    public String name() {
        return "add-user";
    }

    @Override
    public String summary() {
        return "create a user with their default workspace (password from stdin or " + PasswordInput.ENV + ")";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Arguments.required("email", "EMAIL", "the user's email, their login name"))
                .addOption(Arguments.required("name", "NAME", "the user's display name"))
                .addOption(Arguments.required("quota", "BYTES", "storage quota, e.g. 10737418240 or 10G"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        String email = Arguments.text(line, "email");
        String name = Arguments.text(line, "name");
        long quota = Arguments.bytes(line, "quota");
        String password = PasswordInput.read(environment, "Password for " + email + ": ");
        CreatedUser user = environment.accounts().createUser(email, name, password, quota);
        environment.out().println("created user " + email.strip().toLowerCase(java.util.Locale.ROOT) + " ("
                + user.userId() + ") with default workspace " + user.defaultWorkspaceId());
        return ExitCode.OK;
    }
}
