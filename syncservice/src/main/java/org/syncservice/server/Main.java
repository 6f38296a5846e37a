package org.syncservice.server;

import com.zaxxer.hikari.pool.HikariPool;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.syncservice.server.admin.AdminCommands;
import org.syncservice.server.cli.BuildVersion;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.cli.Invocation;
import org.syncservice.server.cli.InvocationParser;
import org.syncservice.server.cli.StopSignals;
import org.syncservice.server.config.ConfigDump;
import org.syncservice.server.config.ConfigException;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar syncservice.jar}: reads the command line, then runs the service until SIGTERM
 * or carries out a one-shot command. Every failure an operator can fix ends with one line on
 * standard error and a documented exit code ({@link ExitCode}).
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        // Explicitly: after serving, broker and pool threads must not keep the JVM alive.
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err, System.getenv());
    }

    /**
     * @param in standard input, where admin commands read passwords
     * @param env the environment, where admin commands may find a password instead
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        Invocation invocation = InvocationParser.withBuildVersion().parse(args);
        try {
            if (invocation instanceof Invocation.Help help) {
                out.print(help.usageText());
                out.print(AdminCommands.describe());
                return ExitCode.OK.code();
            } else if (invocation instanceof Invocation.Version version) {
                out.println("syncservice " + version.version());
                return ExitCode.OK.code();
            } else if (invocation instanceof Invocation.DumpConfig) {
                out.print(ConfigDump.render());
                return ExitCode.OK.code();
            } else if (invocation instanceof Invocation.UsageError usage) {
                err.println("syncservice: " + usage.message());
                err.print(usage.usageText());
                return ExitCode.USAGE.code();
            } else if (invocation instanceof Invocation.InitDb initDb) {
                ServiceConfig config = ConfigLoader.load(initDb.config(), env);
                int version;
                try {
                    version = SyncService.initDatabase(config);
                } catch (HikariPool.PoolInitializationException e) {
                    err.println("syncservice: " + FailureMessages.cannotConnectToDatabase(config.database().url(), e));
                    return ExitCode.FAILURE.code();
                }
                out.println("schema version " + version + " is in place at " + config.database().url());
                return ExitCode.OK.code();
            } else if (invocation instanceof Invocation.Run runInvocation) {
                if (!runInvocation.arguments().isEmpty() && AdminCommands.exists(runInvocation.arguments().get(0))) {
                    ServiceConfig config = ConfigLoader.load(runInvocation.config(), env);
                    LogSetup.apply(config.log());
                    try (AdminSession session = new AdminSession(config, Clock.systemUTC(), in, out, env)) {
                        return AdminCommands.run(runInvocation.arguments(), session, err);
                    }
                }
                if (!runInvocation.arguments().isEmpty()) {
                    err.println("syncservice: unknown command '" + runInvocation.arguments().get(0) + "'");
                    err.print(InvocationParser.withBuildVersion().usage());
                    return ExitCode.USAGE.code();
                }
                return serve(runInvocation.config(), env);
            }
            throw new IllegalStateException("unhandled invocation " + invocation);
        } catch (ConfigException e) {
            err.println("syncservice: configuration error: " + e.getMessage());
            return ExitCode.CONFIG.code();
        } catch (SyncService.StartupException e) {
            err.println("syncservice: " + e.getMessage());
            return ExitCode.FAILURE.code();
        } catch (Exception e) {
            log.error("syncservice failed", e);
            err.println("syncservice: " + FailureMessages.rootMessage(e));
            return ExitCode.FAILURE.code();
        }
    }

    private static int serve(Path configFile, Map<String, String> env) throws Exception {
        ServiceConfig config = ConfigLoader.load(configFile, env);
        LogSetup.apply(config.log());
        log.info("configuration from {}: {}", configFile, config);
        SyncService service = SyncService.start(config, BuildVersion.read(), Clock.systemUTC());
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop = () -> {
            if (closed.compareAndSet(false, true)) {
                log.info("shutting down: no new requests; finishing the ones in progress");
                service.close();
            }
        };
        // Any other way the JVM ends (System.exit elsewhere, a signal not handled below) still stops cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown"));
        // Without signal handlers (-Xrs) the JVM ends on SIGTERM with 143, after the hook has run.
        StopSignals.handle().await();
        stop.run();
        return ExitCode.OK.code();
    }
}
