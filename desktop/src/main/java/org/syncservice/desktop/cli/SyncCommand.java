package org.syncservice.desktop.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.engine.DesktopSettings;

/**
 * The {@code sync} command: prepares the state directory, authenticates the device, starts the
 * engine with a progress line and keeps it running as the {@link Lifecycle} says. Immutable.
 */
final class SyncCommand {

    private final CliEnvironment environment;
    private final EngineLauncher launcher;
    private final Lifecycle lifecycle;
    private final Consumer<Path> logToStateDirectory;

    /**
     * @param logToStateDirectory sends the log to the state directory; runs before anything logs
     */
    SyncCommand(CliEnvironment environment, EngineLauncher launcher, Lifecycle lifecycle,
                Consumer<Path> logToStateDirectory) {
        this.environment = environment;
        this.launcher = launcher;
        this.lifecycle = lifecycle;
        this.logToStateDirectory = logToStateDirectory;
    }

    ExitCode run(Command.Sync sync) {
        Path folder = StateDirectory.canonical(sync.folder());
        Path state = sync.stateDirectory().orElseGet(() -> StateDirectory.defaultFor(folder, environment));
        StateDirectory.requireOutside(state, folder);
        StateDirectory.create(state);
        StateLock lock = StateLock.acquire(state);
        StartedEngine engine;
        try {
            logToStateDirectory.accept(state);

            Session session = logIn(sync, state);
            SyncClient client = session.client();
            DeviceCredential credential = session.credential();
            SyncClientOptions options = session.options();
            LoggerFactory.getLogger(SyncCommand.class).info("syncing {} with workspace {} ({}) as device {} ({}) via {}",
                    folder, credential.workspaceName(), credential.workspaceId(), credential.deviceName(),
                    credential.deviceId(), options);

            DesktopSettings settings = new DesktopSettings(folder, state, credential.workspaceId(), credential.deviceId(),
                    credential.deviceName(), options,
                    sync.allowMassDelete() ? 1.0 : DesktopSettings.DEFAULT_MASS_DELETION_SHARE,
                    DesktopSettings.DEFAULT_DEBOUNCE, DesktopSettings.DEFAULT_RESCAN_INTERVAL, sync.onlyFolders());
            ProgressPrinter progress = new ProgressPrinter(environment.out(), environment.terminal());
            engine = new StartedEngine(progress, client, lock);
            lifecycle.onStop(engine::stop);
            engine.start(() -> launcher.start(settings, client, progress));
            environment.out().println("Syncing " + folder + " with workspace '" + credential.workspaceName() + "' as "
                    + credential.deviceName() + " (Ctrl-C stops)");
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        // An engine that stops by itself (the device was revoked, the workspace is gone, it failed)
        // ends the sync: a process that stayed up would sync nothing while looking alive.
        Thread watch = new Thread(() -> engine.awaitEnd().ifPresent(lifecycle::engineStopped), "sync-watch");
        watch.setDaemon(true);
        watch.start();
        lifecycle.awaitStop();
        return ExitCode.OK;
    }

    /** A client logged in as the folder's device. */
    private record Session(SyncClient client, DeviceCredential credential, SyncClientOptions options) {
    }

    private Session logIn(Command.Sync sync, Path state) {
        CredentialFile credentials = new CredentialFile(state);
        Optional<DeviceCredential> stored = credentials.read();
        Optional<String> loginUser = sync.loginUser()
                .or(() -> Optional.ofNullable(environment.variables().get(BrokerAddress.LOGIN_USER_VARIABLE)))
                .or(() -> stored.map(DeviceCredential::loginUser))
                .filter(user -> !user.isEmpty());
        BrokerAddress server = server(sync, stored).withLoginUser(loginUser);
        SyncClientOptions options = server.options(environment.variables());
        SyncClient client = connect(server, options);
        try {
            DeviceCredential credential = new DeviceLogin(environment).authenticate(client, sync, server, stored)
                    .withLoginUser(loginUser.orElse(""));
            if (!stored.equals(Optional.of(credential))) {
                credentials.write(credential);
            }
            return new Session(client, credential, options);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * The engine with what it runs on. A stop that comes while the engine starts waits for the
     * start to finish, then closes it: an engine started after the stop would run on, unclosed.
     * Thread-safe.
     */
    private static final class StartedEngine {
        private final ProgressPrinter progress;
        private final SyncClient client;
        private final StateLock lock;
        private EngineLauncher.Running running;
        private boolean stopped;

        StartedEngine(ProgressPrinter progress, SyncClient client, StateLock lock) {
            this.progress = progress;
            this.client = client;
            this.lock = lock;
        }

        synchronized void start(Supplier<EngineLauncher.Running> launch) {
            if (stopped) {
                return;
            }
            try {
                progress.start();
                running = launch.get();
            } catch (RuntimeException e) {
                stop();
                LoggerFactory.getLogger(SyncCommand.class).error("the sync engine failed to start", e);
                throw new CliFailure("the sync engine failed to start: " + e.getMessage(), e);
            }
        }

        /** Waits until the engine's thread ends; why, when it ended by itself. */
        Optional<String> awaitEnd() {
            EngineLauncher.Running started;
            synchronized (this) {
                started = running;
            }
            if (started == null) {
                return Optional.empty();
            }
            try {
                return started.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        synchronized void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            try {
                if (running != null) {
                    running.close();
                }
            } finally {
                progress.close();
                client.close();
                lock.close();
            }
        }
    }

    private static BrokerAddress server(Command.Sync sync, Optional<DeviceCredential> stored) {
        if (stored.isEmpty()) {
            return sync.server().orElseThrow(() -> new UsageException(
                    "missing --server (needed to log in the first time)"));
        }
        String storedUrl = stored.get().server();
        if (sync.server().isPresent() && !sync.server().get().url().equals(storedUrl)) {
            throw new UsageException("this folder is synced through " + storedUrl
                    + "; a folder belongs to one service");
        }
        try {
            return BrokerAddress.parse(storedUrl);
        } catch (IllegalArgumentException e) {
            throw new CliFailure("the stored server " + storedUrl + " is no URL: " + e.getMessage());
        }
    }

    static SyncClient connect(BrokerAddress server, SyncClientOptions options) {
        try {
            return SyncClient.connect(options);
        } catch (SyncServiceException e) {
            throw new CliFailure("cannot reach the service at " + server.url() + ": " + e.getMessage());
        }
    }
}
