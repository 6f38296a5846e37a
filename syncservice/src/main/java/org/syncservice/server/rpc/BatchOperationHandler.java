package org.syncservice.server.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * A handler that serves several requests of its operation at once more cheaply than one by one
 * (commit: one database transaction for many). Each call is still answered on its own: its
 * response filled, or its own failure returned. Thread-safe, like every handler.
 */
public interface BatchOperationHandler extends OperationHandler {

    /**
     * Serves the calls together.
     *
     * @return per call, in order: empty when its response was filled, else the failure to answer
     *     (a {@link org.syncservice.server.core.ServiceException}, or an unexpected error)
     */
    List<Optional<RuntimeException>> handleAll(List<Call> calls);

    /** Serves the calls with {@code handler} one after the other: what a handler that cannot do better does. */
    static List<Optional<RuntimeException>> oneByOne(OperationHandler handler, List<Call> calls) {
        List<Optional<RuntimeException>> failures = new ArrayList<>(calls.size());
        for (Call call : calls) {
            try {
                handler.handle(call.request(), call.context(), call.response());
                failures.add(Optional.empty());
            } catch (RuntimeException e) {
                failures.add(Optional.of(e));
            }
        }
        return failures;
    }

    /** One admitted request: decoded, checked and authenticated. */
    record Call(Request request, CallContext context, Response.Builder response) {
    }
}
