package org.syncservice.desktop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Where the account password comes from at a login: {@value #VARIABLE} when set, else the terminal
 * without echo when there is one, else the first line of standard input. Never the command line,
 * which every user of the machine can read in the process list. Stateless.
 */
final class PasswordSource {

    static final String VARIABLE = "SYNCSERVICE_PASSWORD";

    private PasswordSource() {
    }

    /**
     * Reads the password for an account.
     *
     * @throws UsageException when none is given
     */
    static String read(CliEnvironment environment, String email) {
        var fromVariable = environment.variable(VARIABLE);
        if (fromVariable.isPresent()) {
            return fromVariable.get();
        }
        if (environment.terminal()) {
            char[] typed = environment.console().readPassword("Password for %s: ", email);
            return requireGiven(typed == null ? null : new String(typed));
        }
        try {
            // Not closed: that would close the process's standard input.
            BufferedReader reader = new BufferedReader(new InputStreamReader(environment.in(), StandardCharsets.UTF_8));
            return requireGiven(reader.readLine());
        } catch (IOException e) {
            throw new CliFailure("cannot read the password from standard input: " + e.getMessage());
        }
    }

    private static String requireGiven(String password) {
        if (password == null || password.isEmpty()) {
            throw new UsageException("no password given: type it, write it on standard input or set " + VARIABLE);
        }
        return password;
    }
}
