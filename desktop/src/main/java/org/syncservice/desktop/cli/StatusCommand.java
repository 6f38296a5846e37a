package org.syncservice.desktop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.syncservice.desktop.state.StatusReader;
import org.syncservice.desktop.state.StatusReport;

/** The {@code status} command: prints what the client of a folder last recorded. Immutable. */
final class StatusCommand {

    /** Reads a state directory's status report; {@link StatusReader#read(Path)} in the process. */
    @FunctionalInterface
    interface Source {
        StatusReport read(Path stateDirectory) throws IOException;
    }

    private final CliEnvironment environment;
    private final Source source;

    StatusCommand(CliEnvironment environment, Source source) {
        this.environment = environment;
        this.source = source;
    }

    ExitCode run(Command.Status status) {
        Path folder = StateDirectory.canonical(status.folder());
        Path state = status.stateDirectory().orElseGet(() -> StateDirectory.defaultFor(folder, environment));
        if (!Files.isRegularFile(state.resolve(StateDirectory.DATABASE))) {
            throw noState(folder, state);
        }
        StatusReport report;
        try {
            report = source.read(state);
        } catch (NoSuchFileException e) {
            throw noState(folder, state);
        } catch (IOException e) {
            throw new CliFailure("cannot read the state in " + state + ": " + e.getMessage());
        }
        environment.out().print(StatusText.format(folder, report));
        return ExitCode.OK;
    }

    private static CliFailure noState(Path folder, Path state) {
        return new CliFailure("no sync state for " + folder + " (looked in " + state + ")");
    }
}
