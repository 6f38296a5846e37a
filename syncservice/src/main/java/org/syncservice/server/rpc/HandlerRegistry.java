package org.syncservice.server.rpc;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.syncservice.protocol.v1.Request;

/**
 * The handlers of the operations this server implements; every other operation answers
 * UNIMPLEMENTED. Built once at start-up, then read-only and thread-safe.
 */
public final class HandlerRegistry {
    private final Map<Request.OperationCase, OperationHandler> handlers;

    private HandlerRegistry(Map<Request.OperationCase, OperationHandler> handlers) {
        this.handlers = Collections.unmodifiableMap(new EnumMap<>(handlers));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<OperationHandler> find(Request.OperationCase operation) {
        return Optional.ofNullable(handlers.get(operation));
    }

    public Set<Request.OperationCase> operations() {
        return handlers.keySet();
    }

    /** Collects handlers; at most one per operation. Not thread-safe; used only while wiring. */
    public static final class Builder {
        private final Map<Request.OperationCase, OperationHandler> handlers =
                new EnumMap<>(Request.OperationCase.class);

        private Builder() {
        }

        public Builder add(OperationHandler handler) {
            Request.OperationCase operation = handler.operation();
            if (operation == Request.OperationCase.OPERATION_NOT_SET) {
                throw new IllegalArgumentException("a handler must serve an operation");
            }
            if (handlers.putIfAbsent(operation, handler) != null) {
                throw new IllegalStateException("two handlers for " + operation);
            }
            return this;
        }

        /**
         * Adds the one handler that must know every other operation (server info announces them
         * with its own), then builds the registry.
         */
        public HandlerRegistry build(Function<Set<Request.OperationCase>, OperationHandler> announcer) {
            Set<Request.OperationCase> others = EnumSet.noneOf(Request.OperationCase.class);
            others.addAll(handlers.keySet());
            add(announcer.apply(Collections.unmodifiableSet(others)));
            return new HandlerRegistry(handlers);
        }
    }
}
