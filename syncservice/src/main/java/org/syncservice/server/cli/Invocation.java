package org.syncservice.server.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the command line asks for, as parsed by {@link InvocationParser}; the main class switches
 * over it. Immutable and thread-safe.
 */
public sealed interface Invocation {

    /**
     * Run with the given config. {@code arguments} are the words after the options: empty for the
     * service itself, or an admin command and its own arguments (e.g. {@code add-user ...}),
     * which the main class interprets.
     */
    record Run(Path config, List<String> arguments) implements Invocation {
        public Run {
            Objects.requireNonNull(config, "config");
            arguments = List.copyOf(arguments);
        }
    }

    /** Apply the schema to the configured database, then exit. */
    record InitDb(Path config) implements Invocation {
        public InitDb {
            Objects.requireNonNull(config, "config");
        }
    }

    /** Print the commented example config with every default. */
    record DumpConfig() implements Invocation {
    }

    /** Print the usage text and exit successfully. */
    record Help(String usageText) implements Invocation {
        public Help {
            Objects.requireNonNull(usageText, "usageText");
        }
    }

    /** Print the version and exit successfully. */
    record Version(String version) implements Invocation {
        public Version {
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * The command line is wrong: print the one-line message and the usage text, then exit with
     * {@link ExitCode#USAGE}.
     */
    record UsageError(String message, String usageText) implements Invocation {
        public UsageError {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(usageText, "usageText");
        }
    }
}
