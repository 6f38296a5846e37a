package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.retention.MetadataPurge;
import org.syncservice.server.retention.Pause;

/**
 * {@code purge --now}: one pass of the metadata purge (expired tombstones, superseded versions,
 * stored answers), as the running service's background task makes every {@code retention.interval},
 * with the same batches and pauses; safe next to running instances. Chunks are left to
 * {@code purge-chunks}.
 */
final class PurgeCommand implements AdminCommand {

    @Override
    public String name() {
        return "purge";
    }

    @Override
    public String summary() {
        return "purge expired deleted items, old versions and stored answers once (retention.*)";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("now").required()
                .desc("run the pass now (required: the running service purges on its own)").build());
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        MetadataPurge.Totals purged = environment.retention().purge().run(Pause.sleeping());
        environment.out().println("purged " + purged.tombstones() + " deleted items, " + purged.versions()
                + " versions, " + purged.storedAnswers() + " stored answers");
        return ExitCode.OK;
    }
}
