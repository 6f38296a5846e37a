package org.syncservice.server.rpc;

import java.util.List;
import java.util.Optional;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * Runs a signal after its handler succeeded: wraps the operations that write outbox rows, so the
 * outbox publisher of this instance looks for them at once instead of at its next poll. The
 * signal runs after the handler's transaction committed; a failed request signals nothing, and
 * requests served together signal once. Thread-safe when the handler and the signal are.
 */
public final class SignallingHandler implements BatchOperationHandler {
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
    public void handle(Request request, CallContext call, Response.Builder response) {
        handler.handle(request, call, response);
        signal.run();
    }

    /** Together when the handler can serve requests together, else one by one; one signal either way. */
    @Override
    public List<Optional<RuntimeException>> handleAll(List<Call> calls) {
        List<Optional<RuntimeException>> failures = handler instanceof BatchOperationHandler batch
                ? batch.handleAll(calls) : BatchOperationHandler.oneByOne(handler, calls);
        if (failures.stream().anyMatch(Optional::isEmpty)) {
            signal.run();
        }
        return failures;
    }
}
