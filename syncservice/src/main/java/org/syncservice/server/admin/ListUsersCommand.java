package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.account.UserSummary;
import org.syncservice.server.cli.ExitCode;

/** {@code list-users}: every user with quota used and limit, devices and owned workspaces. */
final class ListUsersCommand implements AdminCommand {

    @Override
    public String name() {
        return "list-users";
    }

    @Override
    public String summary() {
        return "list users with quota used/limit (bytes), devices and owned workspaces";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        Table table = new Table("EMAIL", "NAME", "USED", "QUOTA", "DEVICES", "WORKSPACES", "USER_ID");
        for (UserSummary user : environment.accounts().listUsers()) {
            table.row(user.email(), user.name(), user.quotaUsedBytes(), user.quotaLimitBytes(), user.devices(),
                    user.workspaces(), user.userId());
        }
        table.print(environment.out());
        return ExitCode.OK;
    }
}
