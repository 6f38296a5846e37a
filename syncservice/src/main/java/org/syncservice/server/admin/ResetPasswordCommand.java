package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;

/**
 * {@code reset-password --email E}: a new password for a user who forgot theirs, read from
 * standard input or {@value PasswordInput#ENV} (never the command line). Every device of the user
 * is signed out and logs in again with it.
 */
final class ResetPasswordCommand implements AdminCommand {

    @Override
    public String name() {
        return "reset-password";
    }

    @Override
    public String summary() {
        return "set a user's password (from stdin or " + PasswordInput.ENV + "); signs out their devices";
    }

    @Override
    public Options options() {
        return new Options().addOption(Arguments.required("email", "EMAIL", "the user's email"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        String email = Arguments.text(line, "email");
        String password = PasswordInput.read(environment, "New password for " + email + ": ");
        int signedOut = environment.accounts().resetPassword(email, password);
        environment.out().println("the password of " + email + " is reset; " + signedOut
                + " devices must log in again");
        return ExitCode.OK;
    }
}
