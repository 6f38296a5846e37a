package org.syncservice.server.admin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Where an admin command gets a password: the environment variable {@value #ENV}, else the first
 * line of standard input (typed without echo at a terminal). Never from the command line, which
 * other users of the machine can read in the process list. Stateless.
 */
final class PasswordInput {
    static final String ENV = "SYNCSERVICE_PASSWORD";

    private PasswordInput() {
    }

    static String read(AdminEnvironment environment, String prompt) {
        String fromEnv = environment.env().get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        Console console = System.console();
        if (console != null && environment.in() == System.in) {
            char[] typed = console.readPassword("%s", prompt);
            return typed == null ? requireGiven(null) : requireGiven(new String(typed));
        }
        try {
            // Not closed: it would close the caller's standard input.
            BufferedReader reader = new BufferedReader(new InputStreamReader(environment.in(), StandardCharsets.UTF_8));
            return requireGiven(reader.readLine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String requireGiven(String password) {
        if (password == null || password.isEmpty()) {
            throw new AdminUsageException("no password given: write it on standard input or set " + ENV);
        }
        return password;
    }
}
