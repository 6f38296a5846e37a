package org.syncservice.server.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.admin.AdminCommands;
import org.syncservice.server.admin.AdminEnvironment;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.retention.Retention;
import org.syncservice.server.retention.RetentionObserver;
import org.syncservice.server.status.StatusStore;
import org.syncservice.server.sync.CursorKeyStore;
import org.syncservice.server.workspace.GroupService;
import org.syncservice.server.workspace.WorkspaceService;

/**
 * Admin commands run in-process over a running service's components (the same service logic the
 * jar's admin session wires), with what they print captured. Not thread-safe.
 */
public final class InProcessAdmin implements AdminEnvironment {
    private final ServiceComponents components;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    public InProcessAdmin(ServiceComponents components) {
        this.components = components;
    }

    /** What the command's run printed (standard output and error) and its exit code. */
    public record Result(int exitCode, String out, String err) {
    }

    public Result run(String... arguments) {
        out.reset();
        err.reset();
        int code = AdminCommands.run(List.of(arguments), this, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public AccountService accounts() {
        return components.accounts();
    }

    @Override
    public WorkspaceService workspaces() {
        return components.workspaces();
    }

    @Override
    public GroupService groups() {
        return components.groups();
    }

    @Override
    public StatusStore status() {
        return components.status();
    }

    @Override
    public OutboxStore outbox() {
        return components.outbox();
    }

    @Override
    public CursorKeyStore cursorKeys() {
        return components.cursorKeys();
    }

    @Override
    public Retention retention() {
        return components.retention(RetentionObserver.NONE);
    }

    @Override
    public String databaseDescription() {
        return "test database";
    }

    @Override
    public String brokerDescription() {
        return "test broker";
    }

    @Override
    public Optional<String> brokerProblem() {
        return Optional.empty();
    }

    @Override
    public String storageDescription() {
        return "test storage";
    }

    @Override
    public Optional<String> storageProblem() {
        try {
            components.storage().check();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public InputStream in() {
        return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public PrintStream out() {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, String> env() {
        return Map.of();
    }
}
