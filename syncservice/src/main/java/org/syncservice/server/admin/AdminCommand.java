package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;

/**
 * One admin subcommand of the jar ({@code add-user}, {@code status}, ...): its own options and
 * what it does. A command reports failure by throwing a
 * {@link org.syncservice.server.core.ServiceException} (mapped to an exit code by
 * {@link AdminCommands}) or an {@link AdminUsageException}. Implementations are stateless.
 */
interface AdminCommand {

    String name();

    /** One line for the command list. */
    String summary();

    /** Built per call: commons-cli's Options are mutable. */
    Options options();

    /** @return the exit code; {@link ExitCode#OK} unless the command reports a state (status) */
    ExitCode run(CommandLine line, AdminEnvironment environment);
}
