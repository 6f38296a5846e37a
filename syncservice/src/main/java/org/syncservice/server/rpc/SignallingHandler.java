package org.syncservice.server.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
    public void handleAll(List<Call> calls) {
        AtomicBoolean anySucceeded = new AtomicBoolean();
        List<Call> noticed = new ArrayList<>(calls.size());
        for (Call call : calls) {
            noticed.add(new NoticedCall(call, anySucceeded));
        }
        handler.handleAll(noticed);
        if (anySucceeded.get()) {
            signal.run();
        }
    }

    /** A call that notes its success, so the signal runs once for every group with one. */
    private record NoticedCall(Call call, AtomicBoolean succeeded) implements Call {
        @Override
        public Request request() {
            return call.request();
        }

        @Override
        public CallContext context() {
            return call.context();
        }

        @Override
        public Response.Builder response() {
            return call.response();
        }

        @Override
        public void succeed() {
            succeeded.set(true);
            call.succeed();
        }

        @Override
        public void fail(RuntimeException failure) {
            call.fail(failure);
        }
    }
}
