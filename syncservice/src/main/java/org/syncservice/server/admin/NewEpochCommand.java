package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;

/**
 * {@code new-epoch}: every getChanges cursor handed out so far expires, and its device lists its
 * workspaces again. Run it after restoring the database from a backup: cursors handed out after
 * the backup was taken name changes the restored database does not have (or will give other
 * numbers to), and would otherwise skip them. Takes effect at once, also for running instances.
 */
final class NewEpochCommand implements AdminCommand {

    @Override
    public String name() {
        return "new-epoch";
    }

    @Override
    public String summary() {
        return "expire every getChanges cursor (run after restoring a backup)";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        long epoch = environment.cursorKeys().newEpoch();
        environment.out().println("new cursor epoch " + epoch + ": every device lists its workspaces again");
        return ExitCode.OK;
    }
}
