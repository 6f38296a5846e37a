package org.syncservice.server.admin;

import java.util.OptionalLong;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.OptionGroup;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.core.ServiceException;

/**
 * {@code replay-outbox --id N | --all}: puts set-aside notifications back in line with a fresh
 * attempt count, once whatever made the broker refuse them is fixed. Running instances publish
 * them within {@code notifications.outbox-poll-interval}.
 */
final class ReplayOutboxCommand implements AdminCommand {

    @Override
    public String name() {
        return "replay-outbox";
    }

    @Override
    public String summary() {
        return "send set-aside notifications again (see status for how many there are)";
    }

    @Override
    public Options options() {
        OptionGroup which = new OptionGroup()
                .addOption(Option.builder().longOpt("id").hasArg().argName("N")
                        .desc("the outbox id of one set-aside notification").build())
                .addOption(Option.builder().longOpt("all").desc("every set-aside notification").build());
        which.setRequired(true);
        return new Options().addOptionGroup(which);
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        OptionalLong id = line.hasOption("id") ? OptionalLong.of(outboxId(line)) : OptionalLong.empty();
        int replayed = environment.outbox().replaySetAside(id);
        if (id.isPresent() && replayed == 0) {
            throw ServiceException.notFound("no set-aside notification with outbox id " + id.getAsLong());
        }
        environment.out().println(replayed + " set-aside notification" + (replayed == 1 ? "" : "s")
                + " put back in line; running instances publish them shortly");
        return ExitCode.OK;
    }

    private static long outboxId(CommandLine line) {
        String value = line.getOptionValue("id").strip();
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new AdminUsageException("--id: expected a positive outbox id such as 1234, got '" + value + "'");
    }
}
