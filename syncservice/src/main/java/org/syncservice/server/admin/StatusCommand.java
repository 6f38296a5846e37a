package org.syncservice.server.admin;

import java.io.PrintStream;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.status.ServiceCounts;
import org.syncservice.server.status.StatusStore;

/**
 * {@code status}: database reachable and its schema version, broker reachable, storage reachable,
 * outbox backlog, set-aside notifications and counts. Each component is checked on its own, so the
 * one that is down is the one named, and the checks change nothing (no bucket is created). Exits 0
 * when the database, the broker and the storage are all reachable, else 1, so it can serve as a
 * check in scripts.
 */
final class StatusCommand implements AdminCommand {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "database, broker and storage reachability, schema version, outbox backlog, counts";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        PrintStream out = environment.out();
        boolean databaseUp;
        try {
            StatusStore status = environment.status();
            int version = status.schemaVersion();
            long backlog = status.outboxBacklog();
            long setAside = status.outboxSetAside();
            ServiceCounts counts = status.counts();
            out.println("database: UP (" + environment.databaseDescription() + ", schema version " + version + ")");
            out.println("outbox backlog: " + backlog);
            out.println("outbox set aside: " + setAside + (setAside > 0 ? " (refused by the broker too often;"
                    + " see outbox.last_error, then replay-outbox)" : ""));
            out.println("users: " + counts.users());
            out.println("devices: " + counts.devices());
            out.println("workspaces: " + counts.workspaces());
            out.println("items: " + counts.items());
            out.println("chunks waiting for collection: " + environment.retention().chunks().candidatesWaiting());
            databaseUp = true;
        } catch (ServiceException e) {
            out.println("database: DOWN (" + environment.databaseDescription() + ": " + e.getMessage() + ")");
            databaseUp = false;
        }
        Optional<String> brokerProblem = environment.brokerProblem();
        out.println("broker: " + brokerProblem.map(problem -> "DOWN (" + environment.brokerDescription() + ": "
                + problem + ")").orElse("UP (" + environment.brokerDescription() + ")"));
        Optional<String> storageProblem = environment.storageProblem();
        out.println("storage: " + storageProblem.map(problem -> "DOWN (" + environment.storageDescription() + ": "
                + problem + ")").orElse("UP (" + environment.storageDescription() + ")"));
        return databaseUp && brokerProblem.isEmpty() && storageProblem.isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
    }
}
