package org.syncservice.desktop.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * Parses the command line: {@code [sync] [OPTIONS] DIR}, {@code status [--state DIR] [DIR]},
 * {@code lock [--reason TEXT] [--minutes N] [--state DIR] PATH}, {@code unlock [--state DIR] PATH},
 * {@code --help}, {@code --version}. Every value is checked here, once, with a message naming the
 * option. Stateless.
 */
final class CliArguments {

    static final String USAGE = """
            Usage: sync-folder.sh [sync] --server amqp://HOST:PORT[/VHOST] --email E [OPTIONS] DIR
                   sync-folder.sh status [--state DIR] [DIR]
                   sync-folder.sh lock [--reason TEXT] [--minutes N] [--state DIR] PATH
                   sync-folder.sh unlock [--state DIR] PATH
                   sync-folder.sh --help | --version

            sync (the default) keeps DIR in sync with a workspace until stopped (Ctrl-C or SIGTERM).
            The first run logs in: the password comes from SYNCSERVICE_PASSWORD, else the terminal,
            else one line of standard input. Later runs reuse the stored device credential, and need
            neither --server nor --email.
            status prints what the client of DIR (default: the working directory) last recorded.
            lock keeps other devices from committing edits of PATH, a synced file, for N minutes
            (default: the service's lock duration); lock again to renew it. unlock releases it.
            Both use the credential the folder's sync stored; the sync need not be running.

            Options:
              --server URL           the service's broker, amqp://[USER@]HOST[:PORT][/VHOST] or amqps://;
                                     the broker password comes from SYNCSERVICE_BROKER_PASSWORD (default guest)
              --login-user USER      the broker's login-only user (as scripts/rabbitmq-auth-setup.sh made it):
                                     log in through it, then work under the device's own broker identity;
                                     its password from SYNCSERVICE_LOGIN_PASSWORD (default: USER); also
                                     SYNCSERVICE_LOGIN_USER; remembered for the folder
              --email E              the account to log in with
              --workspace NAME       the workspace to mirror (default: your default workspace)
              --state DIR            where the folder's state lives
                                     (default: $XDG_STATE_HOME/syncservice/<hash of DIR's path>)
              --device-name NAME     this device's name (default: the host name)
              --only FOLDER          keep only this folder of the workspace (a path relative to DIR, an
                                     existing folder); repeat for several; files outside are left alone
              --allow-mass-delete    push the deletion of many files at once without stopping to ask
              --login                log in again (after the device was revoked), asking for the password
              --reason TEXT          (lock) why, shown to the other devices
              --minutes N            (lock) how long the lock lasts, 1 to the service's maximum
              -h, --help             print this help, then exit
              --version              print the version, then exit

            Exit codes: 0 stopped cleanly, 1 run-time failure, 2 wrong command line.
            """;

    private static final int MAX_DEVICE_NAME = 255;

    private CliArguments() {
    }

    /**
     * Parses the arguments.
     *
     * @param workingDirectory what relative paths are relative to
     * @throws UsageException naming what is wrong
     */
    static Command parse(List<String> arguments, Path workingDirectory) {
        if (arguments.contains("-h") || arguments.contains("--help")) {
            return new Command.Help();
        }
        if (arguments.contains("--version")) {
            return new Command.Version();
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("status")) {
            return status(parse(statusOptions(), arguments.subList(1, arguments.size())), workingDirectory);
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("lock")) {
            return lock(parse(lockOptions(), arguments.subList(1, arguments.size())), workingDirectory);
        }
        if (!arguments.isEmpty() && arguments.get(0).equals("unlock")) {
            CommandLine line = parse(statusOptions(), arguments.subList(1, arguments.size()));
            return new Command.Unlock(onePath(line, workingDirectory), state(line, workingDirectory));
        }
        List<String> rest = !arguments.isEmpty() && arguments.get(0).equals("sync")
                ? arguments.subList(1, arguments.size()) : arguments;
        return sync(parse(syncOptions(), rest), workingDirectory);
    }

    private static Command.Sync sync(CommandLine line, Path workingDirectory) {
        List<String> positional = line.getArgList();
        if (positional.isEmpty()) {
            throw new UsageException("missing the folder to sync (DIR)");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        Path folder = path("DIR", positional.get(0), workingDirectory);
        if (!Files.isDirectory(folder)) {
            throw new UsageException("the folder to sync " + folder + " is not a directory");
        }
        Optional<BrokerAddress> server = value(line, "server").map(url -> {
            try {
                return BrokerAddress.parse(url);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--server: " + e.getMessage());
            }
        });
        Optional<String> email = value(line, "email");
        if (email.isPresent() && !email.get().contains("@")) {
            throw new UsageException("--email: expected an e-mail address, got '" + email.get() + "'");
        }
        Optional<String> deviceName = value(line, "device-name");
        deviceName.ifPresent(CliArguments::checkDeviceName);
        return new Command.Sync(folder, server, email, value(line, "workspace"),
                value(line, "state").map(dir -> path("--state", dir, workingDirectory)), deviceName,
                line.hasOption("allow-mass-delete"), line.hasOption("login"), value(line, "login-user"),
                onlyFolders(line));
    }

    /** The --only folders: relative paths inside DIR, {@code /}-separated, each once. */
    private static List<String> onlyFolders(CommandLine line) {
        String[] given = line.getOptionValues("only");
        if (given == null) {
            return List.of();
        }
        java.util.Set<String> folders = new java.util.LinkedHashSet<>();
        for (String text : given) {
            String folder = text.replace('\\', '/').replaceAll("/+$", "");
            if (folder.isBlank() || folder.startsWith("/") || folder.matches("[A-Za-z]:.*")) {
                throw new UsageException("--only: expected a folder relative to DIR, got '" + text + "'");
            }
            for (String name : folder.split("/+")) {
                if (name.equals(".") || name.equals("..") || name.chars().anyMatch(Character::isISOControl)) {
                    throw new UsageException("--only: expected a folder inside DIR, without '.', '..' or"
                            + " control characters, got '" + text + "'");
                }
            }
            folders.add(folder.replaceAll("/+", "/"));
        }
        return List.copyOf(folders);
    }

    private static Command.Status status(CommandLine line, Path workingDirectory) {
        List<String> positional = line.getArgList();
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        Path folder = positional.isEmpty() ? workingDirectory : path("DIR", positional.get(0), workingDirectory);
        return new Command.Status(folder, value(line, "state").map(dir -> path("--state", dir, workingDirectory)));
    }

    private static Command.Lock lock(CommandLine line, Path workingDirectory) {
        OptionalInt minutes = value(line, "minutes").map(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value >= 1) {
                    return OptionalInt.of(value);
                }
            } catch (NumberFormatException e) {
                // refused below, with what was given
            }
            throw new UsageException("--minutes: expected a whole number of minutes, at least 1, got '" + text + "'");
        }).orElse(OptionalInt.empty());
        return new Command.Lock(onePath(line, workingDirectory), state(line, workingDirectory),
                value(line, "reason"), minutes);
    }

    /** The one PATH of lock and unlock. */
    private static Path onePath(CommandLine line, Path workingDirectory) {
        List<String> positional = line.getArgList();
        if (positional.isEmpty()) {
            throw new UsageException("missing the file (PATH)");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        return path("PATH", positional.get(0), workingDirectory);
    }

    private static Optional<Path> state(CommandLine line, Path workingDirectory) {
        return value(line, "state").map(dir -> path("--state", dir, workingDirectory));
    }

    private static CommandLine parse(Options options, List<String> arguments) {
        try {
            return DefaultParser.builder().setAllowPartialMatching(false).build()
                    .parse(options, arguments.toArray(String[]::new));
        } catch (UnrecognizedOptionException e) {
            if (e.getOption().startsWith("--password")) {
                throw new UsageException("a password is never taken from the command line: set "
                        + PasswordSource.VARIABLE + " or type it when asked");
            }
            throw new UsageException("unknown option '" + e.getOption() + "'");
        } catch (MissingArgumentException e) {
            throw new UsageException("option --" + e.getOption().getLongOpt() + " needs a value");
        } catch (ParseException e) {
            throw new UsageException(e.getMessage().replaceAll("\\s+", " ").strip());
        }
    }

    private static Options syncOptions() {
        return new Options()
                .addOption(valued("server", "URL"))
                .addOption(valued("email", "E"))
                .addOption(valued("login-user", "USER"))
                .addOption(valued("workspace", "NAME"))
                .addOption(valued("state", "DIR"))
                .addOption(valued("device-name", "NAME"))
                .addOption(valued("only", "FOLDER"))
                .addOption(Option.builder().longOpt("allow-mass-delete").build())
                .addOption(Option.builder().longOpt("login").build());
    }

    private static Options statusOptions() {
        return new Options().addOption(valued("state", "DIR"));
    }

    private static Options lockOptions() {
        return statusOptions().addOption(valued("reason", "TEXT")).addOption(valued("minutes", "N"));
    }

    private static Option valued(String name, String argument) {
        return Option.builder().longOpt(name).hasArg().argName(argument).build();
    }

    private static Optional<String> value(CommandLine line, String option) {
        String value = line.getOptionValue(option);
        if (value != null && value.isBlank()) {
            throw new UsageException("option --" + option + " needs a non-empty value");
        }
        return Optional.ofNullable(value);
    }

    private static Path path(String what, String text, Path workingDirectory) {
        try {
            return workingDirectory.resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(what + ": not a path: '" + text + "'");
        }
    }

    private static void checkDeviceName(String name) {
        if (name.length() > MAX_DEVICE_NAME) {
            throw new UsageException("--device-name: expected at most " + MAX_DEVICE_NAME + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new UsageException("--device-name: expected no control characters");
        }
    }
}
