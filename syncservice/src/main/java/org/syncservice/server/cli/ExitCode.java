package org.syncservice.server.cli;

/**
 * The process exit codes of the service and its admin commands, in one place so that scripts
 * and service managers can rely on them. Immutable and thread-safe.
 */
public enum ExitCode {
    /** Done, or asked for help or the version. */
    OK(0),
    /** Failed while running: a database, broker or storage error, or a bug. */
    FAILURE(1),
    /** The command line is wrong; the usage text was printed. */
    USAGE(2),
    /** An admin command named a user, device or workspace that does not exist. */
    NOT_FOUND(3),
    /** An admin command would create something that exists (a user's email, a workspace name). */
    CONFLICT(4),
    /** The config file is missing or invalid ({@code EX_CONFIG} of sysexits.h). */
    CONFIG(78);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The value to pass to {@link System#exit(int)}. */
    public int code() {
        return code;
    }
}
