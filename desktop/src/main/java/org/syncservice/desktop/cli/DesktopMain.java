package org.syncservice.desktop.cli;

import java.nio.file.Path;
import java.util.List;
import org.syncservice.desktop.state.StatusReader;

/**
 * The desktop client's entry point ({@code scripts/sync-folder.sh}, {@code java -jar
 * syncservice-desktop.jar}): the composition root that wires the process's environment, the real
 * engine and the signal-driven lifecycle into {@link DesktopCli}. Run {@code --help} for usage.
 */
public final class DesktopMain {

    private static final String LOG_FILE_PROPERTY = "syncservice.log.file";
    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

    private DesktopMain() {
    }

    public static void main(String[] args) {
        CliEnvironment environment = CliEnvironment.system();
        ProcessLifecycle lifecycle = new ProcessLifecycle(environment.out(), environment.err());
        SyncCommand sync = new SyncCommand(environment, EngineLauncher.DESKTOP_CLIENT, lifecycle,
                DesktopMain::logToStateDirectory);
        StatusCommand status = new StatusCommand(environment, StatusReader::read);
        int code = new DesktopCli(environment, sync, status).run(List.of(args));
        lifecycle.exit(code);
    }

    /**
     * Adds the log file in the state directory: logback reads its configuration when the first
     * logger is made, which the command line holds back until the state directory exists. A
     * configuration the user chose (-Dlogback.configurationFile) wins.
     */
    private static void logToStateDirectory(Path stateDirectory) {
        System.setProperty(LOG_FILE_PROPERTY, stateDirectory.resolve(StateDirectory.LOG).toString());
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "logback-sync.xml");
        }
    }
}
