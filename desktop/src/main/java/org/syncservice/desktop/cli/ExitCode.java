package org.syncservice.desktop.cli;

/** The process exit codes of the desktop client's command line. */
enum ExitCode {
    /** Stopped cleanly (also after SIGTERM or Ctrl-C), or the command did what it was asked. */
    OK(0),
    /** Something failed at run time: the service, the broker, the state directory. */
    FAILURE(1),
    /** The command line is wrong. */
    USAGE(2);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
