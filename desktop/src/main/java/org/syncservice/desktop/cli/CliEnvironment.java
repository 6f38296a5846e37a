package org.syncservice.desktop.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the command line reads from and writes to, so that tests can give it their own: the
 * environment variables, the standard streams, the console (absent when standard input or output
 * is not a terminal), the user's home, the working directory and the host name. Immutable.
 *
 * @param variables the environment variables
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param console the terminal, or null when there is none
 * @param home the user's home directory
 * @param workingDirectory the directory relative paths are resolved against
 * @param hostName this machine's name, the default device name; asked for only when needed, since a
 *     machine whose own name does not resolve makes the lookup slow
 */
record CliEnvironment(Map<String, String> variables, InputStream in, PrintStream out, PrintStream err,
                      Console console, Path home, Path workingDirectory, Supplier<String> hostName) {

    CliEnvironment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(hostName, "hostName");
    }

    /** The process's own environment. */
    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), System.in, System.out, System.err, System.console(),
                Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath(), () -> hostName(System.getenv()));
    }

    /** An environment variable, when it is set and not empty. */
    Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isEmpty());
    }

    /** Whether a person is at a terminal (both standard input and output are one). */
    boolean terminal() {
        return console != null;
    }

    private static String hostName(Map<String, String> variables) {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (!name.isBlank()) {
                return name;
            }
        } catch (UnknownHostException e) {
            // A machine without a resolvable name of its own; the variables below may know it.
        }
        return Optional.ofNullable(variables.get("HOSTNAME"))
                .or(() -> Optional.ofNullable(variables.get("COMPUTERNAME")))
                .filter(name -> !name.isBlank())
                .orElse("desktop");
    }
}
