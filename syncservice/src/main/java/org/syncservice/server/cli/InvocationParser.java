package org.syncservice.server.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * Parses the command line of {@code java -jar syncservice.jar} into an {@link Invocation}. It
 * only parses: it reads no config and prints nothing, so the main class decides what to do and
 * with which {@link ExitCode}. Immutable and thread-safe.
 */
public final class InvocationParser {
    private static final String CONFIG = "config";
    private static final String DUMP_CONFIG = "dump-config";
    private static final String INIT_DB = "init-db";
    private static final String HELP = "help";
    private static final String VERSION = "version";

    private static final String SYNOPSIS = """
            Usage: java -jar syncservice.jar --config FILE [COMMAND [ARGUMENTS...]]
                   java -jar syncservice.jar --config FILE --init-db
                   java -jar syncservice.jar --dump-config | --help | --version

            Runs the syncservice metadata service, or with a COMMAND, an admin command
            against the configured database.
            """;

    private final String version;

    /** @param version the version reported by {@code --version}, see {@link BuildVersion} */
    public InvocationParser(String version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    /** A parser that reports the version stamped into the jar by the build. */
    public static InvocationParser withBuildVersion() {
        return new InvocationParser(BuildVersion.read());
    }

    /** The usage text: synopsis and one line per option, ending in a line break. */
    public String usage() {
        StringBuilder out = new StringBuilder(SYNOPSIS).append("\nOptions:\n");
        for (Option option : options().getOptions()) {
            String names = (option.getOpt() != null ? "-" + option.getOpt() + ", " : "    ")
                    + "--" + option.getLongOpt()
                    + (option.hasArg() ? " " + option.getArgName() : "");
            out.append(String.format("  %-22s %s%n", names, option.getDescription()));
        }
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    public Invocation parse(String... args) {
        Objects.requireNonNull(args, "args");
        if (args.length == 0) {
            // Starting with built-in defaults only would be a surprise in production.
            return usageError("no arguments given; the service needs --config FILE");
        }
        CommandLine line;
        try {
            // Parsing stops at the first word that is not an option, so that an admin command
            // keeps its own options (add-user --email ...) for itself.
            line = DefaultParser.builder().setAllowPartialMatching(false).build()
                    .parse(options(), args, true);
        } catch (UnrecognizedOptionException e) {
            return usageError("unknown option '" + e.getOption() + "'");
        } catch (MissingArgumentException e) {
            return usageError("option --" + e.getOption().getLongOpt() + " needs a "
                    + e.getOption().getArgName() + " argument");
        } catch (ParseException e) {
            return usageError(e.getMessage().replaceAll("\\s+", " ").strip());
        }
        // Stopping at non-options also stops, silently, at an unknown option; such a word can
        // only be a mistake, since admin commands are words that do not start with '-'.
        List<String> rest = line.getArgList();
        if (!rest.isEmpty() && rest.get(0).startsWith("-") && rest.get(0).length() > 1) {
            return usageError("unknown option '" + rest.get(0) + "'");
        }
        return interpret(line);
    }

    private Invocation interpret(CommandLine line) {
        List<String> rest = line.getArgList();
        if (line.hasOption(HELP)) {
            return new Invocation.Help(usage());
        }
        if (line.hasOption(VERSION)) {
            return new Invocation.Version(version);
        }
        boolean dumpConfig = line.hasOption(DUMP_CONFIG);
        boolean initDb = line.hasOption(INIT_DB);
        if (dumpConfig && initDb) {
            return usageError("--dump-config and --init-db cannot be combined");
        }
        if (dumpConfig) {
            // It prints the defaults, not the given file, so accepting --config would mislead.
            if (line.hasOption(CONFIG) || !rest.isEmpty()) {
                return usageError("--dump-config takes no other options or arguments");
            }
            return new Invocation.DumpConfig();
        }
        String[] configs = line.getOptionValues(CONFIG);
        if (configs == null) {
            return usageError((initDb ? "--init-db" : "running the service") + " needs --config FILE");
        }
        if (configs.length > 1) {
            return usageError("--config given more than once");
        }
        Path config;
        try {
            config = Path.of(configs[0]);
        } catch (InvalidPathException e) {
            return usageError("--config: not a valid file name: " + e.getReason());
        }
        if (initDb) {
            if (!rest.isEmpty()) {
                return usageError("--init-db takes no arguments, got '" + rest.get(0) + "'");
            }
            return new Invocation.InitDb(config);
        }
        return new Invocation.Run(config, rest);
    }

    private Invocation usageError(String message) {
        return new Invocation.UsageError(message, usage());
    }

    /** Built per call because commons-cli's Options are mutable. */
    private static Options options() {
        return new Options()
                .addOption(Option.builder("c").longOpt(CONFIG).hasArg().argName("FILE")
                        .desc("config file (see --dump-config); required to run and for --init-db")
                        .build())
                .addOption(Option.builder().longOpt(DUMP_CONFIG)
                        .desc("print a commented config with every default, then exit").build())
                .addOption(Option.builder().longOpt(INIT_DB)
                        .desc("apply the schema to the configured database, then exit").build())
                .addOption(Option.builder("h").longOpt(HELP)
                        .desc("print this help, then exit").build())
                .addOption(Option.builder("v").longOpt(VERSION)
                        .desc("print the version, then exit").build());
    }
}
