package org.syncservice.desktop.cli;

import java.util.List;
import org.slf4j.LoggerFactory;
import org.syncservice.client.SyncServiceException;

/**
 * The desktop client's command line: parses it, runs the command, and turns every failure into
 * one line on standard error and an exit code (0 done or stopped cleanly, 1 run-time failure,
 * 2 wrong command line), never a stack trace. Immutable.
 */
final class DesktopCli {

    static final String NAME = "sync-folder";

    private final CliEnvironment environment;
    private final SyncCommand sync;
    private final StatusCommand status;
    private final LockCommand locks;

    DesktopCli(CliEnvironment environment, SyncCommand sync, StatusCommand status) {
        this(environment, sync, status, new LockCommand(environment));
    }

    DesktopCli(CliEnvironment environment, SyncCommand sync, StatusCommand status, LockCommand locks) {
        this.environment = environment;
        this.sync = sync;
        this.status = status;
        this.locks = locks;
    }

    int run(List<String> arguments) {
        try {
            Command command = CliArguments.parse(arguments, environment.workingDirectory());
            if (command instanceof Command.Help) {
                environment.out().print(CliArguments.USAGE);
                return ExitCode.OK.code();
            }
            if (command instanceof Command.Version) {
                environment.out().println("syncservice-desktop " + Versions.current());
                return ExitCode.OK.code();
            }
            if (command instanceof Command.Status asked) {
                return status.run(asked).code();
            }
            if (command instanceof Command.Lock lock) {
                return locks.lock(lock).code();
            }
            if (command instanceof Command.Unlock unlock) {
                return locks.unlock(unlock).code();
            }
            return sync.run((Command.Sync) command).code();
        } catch (UsageException e) {
            environment.err().println(NAME + ": " + e.getMessage() + " (see --help)");
            return ExitCode.USAGE.code();
        } catch (CliFailure e) {
            environment.err().println(NAME + ": " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (SyncServiceException e) {
            environment.err().println(NAME + ": the service answered " + e.code() + ": " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(DesktopCli.class).error("failed", e);
            environment.err().println(NAME + ": failed: " + e);
            return ExitCode.FAILURE.code();
        }
    }
}
