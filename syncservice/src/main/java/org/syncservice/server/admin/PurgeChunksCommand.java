package org.syncservice.server.admin;

import java.io.PrintStream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.retention.ChunkCollector;
import org.syncservice.server.retention.Pause;

/**
 * {@code purge-chunks [--dry-run]}: one pass of the chunk collector, as the running service makes
 * after each purge. With {@code --dry-run} it lists the chunks it would remove (location, name,
 * bytes) and removes nothing, neither in storage nor in the database.
 */
final class PurgeChunksCommand implements AdminCommand {

    @Override
    public String name() {
        return "purge-chunks";
    }

    @Override
    public String summary() {
        return "remove chunks unreferenced for longer than retention.chunk-grace from storage (--dry-run lists them)";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("dry-run")
                .desc("list what would be removed, with sizes; remove nothing").build());
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        boolean dryRun = line.hasOption("dry-run");
        PrintStream out = environment.out();
        ChunkCollector.Totals totals = environment.retention().chunks().run(dryRun,
                (location, chunk) -> out.println((dryRun ? "would remove " : "removing ")
                        + location.backend().name().toLowerCase(java.util.Locale.ROOT) + " " + location.container()
                        + " " + location.objectName(chunk.chunk()) + " " + chunk.sizeBytes() + " bytes"),
                Pause.sleeping());
        out.println((dryRun ? "would remove " : "removed ") + totals.removed() + " chunks, " + totals.bytes()
                + " bytes; " + totals.examined() + " candidates examined, " + totals.referenced()
                + " still referenced");
        return ExitCode.OK;
    }
}
