package org.syncservice.server.rpc;

import java.util.List;
import java.util.Optional;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * Runs a signal after its handler succeeded: wraps the operations that write outbox rows, so the
 * outbox publisher of this instance looks for them at once instead of at its next poll. The
 * signal runs after the handler's transaction committed; a failed request signals nothing, and
 * requests served together signal once. Scheduled as the wrapped handler is. Thread-safe when
 * the handler and the signal are.
 */
public final class SignallingHandler implements OperationHandler {
    private final OperationHandler handler;
    private final Runnable signal;

    public SignallingHandler(OperationHandler handler, Runnable signal) {
        this.handler = handler;
        this.signal = signal;
    }

    @Override
    public Request.OperationCase operation() {
        return handler.operation();
    }

    @Override
    public boolean requiresAuthentication() {
        return handler.requiresAuthentication();
    }

    @Override
    public Scheduling scheduling() {
        return handler.scheduling();
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        handler.handle(request, call, response);
        signal.run();
    }

    @Override
    public List<Optional<RuntimeException>> handleAll(List<Call> calls) {
        List<Optional<RuntimeException>> failures = handler.handleAll(calls);
        if (failures.stream().anyMatch(Optional::isEmpty)) {
            signal.run();
        }
        return failures;
    }
}
