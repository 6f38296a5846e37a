package org.syncservice.server.admin;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.cli.AlreadySelectedException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.MissingOptionException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin subcommands of the jar. Parses a command's own options, runs it, and turns every
 * failure into one line on standard error and an {@link ExitCode}: 2 for a wrong command line or
 * value, 3 for an unknown user or device, 4 for something that exists already, 1 for anything
 * else (the database or the broker cannot be reached). Stateless and thread-safe.
 */
public final class AdminCommands {
    private static final Logger log = LoggerFactory.getLogger(AdminCommands.class);
    private static final Map<String, AdminCommand> COMMANDS = byName(List.of(
            new AddUserCommand(), new ListUsersCommand(), new SetQuotaCommand(), new DeleteUserCommand(),
            new ResetPasswordCommand(), new ListDevicesCommand(), new RevokeDeviceCommand(), new AddWorkspaceCommand(),
            new GroupCommand(),
            new StatusCommand(),
            new ReplayOutboxCommand(), new NewEpochCommand(),
            new PurgeCommand(), new PurgeChunksCommand()));

    private AdminCommands() {
    }

    public static boolean exists(String name) {
        return COMMANDS.containsKey(name);
    }

    /** One line per command, for the jar's help text. */
    public static String describe() {
        return COMMANDS.values().stream()
                .map(command -> String.format("  %-22s %s%n", command.name(), command.summary()))
                .collect(Collectors.joining("", "\nAdmin commands (each takes --help):\n", ""))
                .replace(System.lineSeparator(), "\n");
    }

    /**
     * Runs {@code arguments.get(0)} with the rest as its arguments.
     *
     * @param err where the one-line error goes
     */
    public static int run(List<String> arguments, AdminEnvironment environment, PrintStream err) {
        String name = arguments.get(0);
        AdminCommand command = Optional.ofNullable(COMMANDS.get(name))
                .orElseThrow(() -> new IllegalArgumentException("no admin command " + name));
        String prefix = "syncservice " + name + ": ";
        Options options = command.options()
                .addOption(Option.builder("h").longOpt("help").desc("print this help, then exit").build());
        String[] args = arguments.subList(1, arguments.size()).toArray(String[]::new);
        try {
            CommandLine line;
            try {
                line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, args);
            } catch (ParseException e) {
                if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
                    printHelp(command, options, environment.out());
                    return ExitCode.OK.code();
                }
                throw new AdminUsageException(describe(e));
            }
            if (line.hasOption("help")) {
                printHelp(command, options, environment.out());
                return ExitCode.OK.code();
            }
            if (!line.getArgList().isEmpty()) {
                throw new AdminUsageException("unexpected argument '" + line.getArgList().get(0) + "'");
            }
            return command.run(line, environment).code();
        } catch (AdminUsageException e) {
            err.println(prefix + e.getMessage() + " (see " + name + " --help)");
            return ExitCode.USAGE.code();
        } catch (ServiceException e) {
            err.println(prefix + e.getMessage());
            return switch (e.kind()) {
                case INVALID_ARGUMENT -> ExitCode.USAGE.code();
                case NOT_FOUND -> ExitCode.NOT_FOUND.code();
                case CONFLICT -> ExitCode.CONFLICT.code();
                default -> ExitCode.FAILURE.code();
            };
        } catch (RuntimeException e) {
            log.error("{} failed", name, e);
            err.println(prefix + "failed: " + e.getMessage());
            return ExitCode.FAILURE.code();
        }
    }

    private static String describe(ParseException e) {
        if (e instanceof MissingOptionException missing) {
            return "missing " + missing.getMissingOptions().stream().map(o -> "--" + o)
                    .collect(Collectors.joining(", "));
        }
        if (e instanceof UnrecognizedOptionException unknown) {
            if (unknown.getOption().startsWith("--password")) {
                return "a password is never taken from the command line: write it on standard input or set "
                        + PasswordInput.ENV;
            }
            return "unknown option '" + unknown.getOption() + "'";
        }
        if (e instanceof MissingArgumentException missing) {
            return "option --" + missing.getOption().getLongOpt() + " needs a " + missing.getOption().getArgName();
        }
        if (e instanceof AlreadySelectedException) {
            return e.getMessage();
        }
        return e.getMessage().replaceAll("\\s+", " ").strip();
    }

    private static void printHelp(AdminCommand command, Options options, PrintStream out) {
        StringBuilder text = new StringBuilder("Usage: java -jar syncservice.jar --config FILE ")
                .append(command.name()).append(" [OPTIONS]\n").append(command.summary()).append("\n\nOptions:\n");
        for (Option option : options.getOptions()) {
            String names = (option.getOpt() != null ? "-" + option.getOpt() + ", " : "    ") + "--"
                    + option.getLongOpt() + (option.hasArg() ? " " + option.getArgName() : "");
            text.append(String.format("  %-22s %s%n", names, option.getDescription()));
        }
        out.print(text.toString().replace(System.lineSeparator(), "\n"));
    }

    private static Map<String, AdminCommand> byName(List<AdminCommand> commands) {
        Map<String, AdminCommand> map = new LinkedHashMap<>();
        commands.forEach(command -> map.put(command.name(), command));
        return map;
    }
}
