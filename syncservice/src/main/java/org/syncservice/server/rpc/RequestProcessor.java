package org.syncservice.server.rpc;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.auth.Authenticator;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request body with one response, whatever the body holds: decode, check the
 * envelope, authenticate, dispatch to the operation's handler, and map any failure to an error
 * reply. Knows nothing of AMQP, so every transport (and every test) drives it the same way.
 *
 * <p>Where a request is served is the handler's to say ({@link OperationHandler#scheduling()}):
 * requests of operations scheduled {@link OperationHandler.Scheduling#APART apart} each go to the
 * executor for them ({@code amqp.other-request-threads}), since they may be slow (a password hash,
 * calls to the storage back-end); the others are served on the thread that hands them in, those of
 * an operation scheduled {@link OperationHandler.Scheduling#TOGETHER together} as one group (commits,
 * in one transaction). Never throws. Thread-safe.
 */
public final class RequestProcessor {
    private static final Logger log = LoggerFactory.getLogger(RequestProcessor.class);
    static final int MAX_REQUEST_ID_LENGTH = 64;
    private static final Map<Request.OperationCase, String> OPERATION_NAMES = operationNames();
    /**
     * Attempts at a request whose first attempt's COMMIT was in doubt (the first included). A cut
     * that broke one pooled connection often broke the idle ones beside it, which the pool finds
     * out one borrow at a time: the attempts after the first may each meet one of them.
     */
    static final int ANSWER_ATTEMPTS = 6;

    private final EnvelopeDecoder decoder;
    private final HandlerRegistry handlers;
    private final Authenticator authenticator;
    private final ErrorMapper errors = new ErrorMapper();
    private final DeviceRateLimiter rateLimiter;
    private final Clock clock;
    private final RequestObserver observer;
    private final BrokerIdentities identities;
    private final Executor apart;

    public RequestProcessor(int maxMessageBytes, HandlerRegistry handlers, Authenticator authenticator, Clock clock) {
        this(maxMessageBytes, handlers, authenticator, DeviceRateLimiter.unlimited(), clock, RequestObserver.NONE);
    }

    public RequestProcessor(int maxMessageBytes, HandlerRegistry handlers, Authenticator authenticator,
                            DeviceRateLimiter rateLimiter, Clock clock) {
        this(maxMessageBytes, handlers, authenticator, rateLimiter, clock, RequestObserver.NONE);
    }

    public RequestProcessor(int maxMessageBytes, HandlerRegistry handlers, Authenticator authenticator,
                            DeviceRateLimiter rateLimiter, Clock clock, RequestObserver observer) {
        this(maxMessageBytes, handlers, authenticator, rateLimiter, clock, observer, BrokerIdentities.unchecked());
    }

    public RequestProcessor(int maxMessageBytes, HandlerRegistry handlers, Authenticator authenticator,
                            DeviceRateLimiter rateLimiter, Clock clock, RequestObserver observer,
                            BrokerIdentities identities) {
        this(maxMessageBytes, handlers, authenticator, rateLimiter, clock, observer, identities, Runnable::run);
    }

    /** @param apart serves the requests of operations scheduled apart; the calling thread by default */
    public RequestProcessor(int maxMessageBytes, HandlerRegistry handlers, Authenticator authenticator,
                            DeviceRateLimiter rateLimiter, Clock clock, RequestObserver observer,
                            BrokerIdentities identities, Executor apart) {
        this.identities = identities;
        this.apart = apart;
        this.decoder = new EnvelopeDecoder(maxMessageBytes);
        this.handlers = handlers;
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        this.observer = observer;
    }

    public RpcOutcome process(byte[] body) {
        return processAll(List.of(body)).get(0);
    }

    /** Answers several request bodies, one response each, in order, once every one is answered. */
    public List<RpcOutcome> processAll(List<byte[]> bodies) {
        List<CompletableFuture<RpcOutcome>> answers = new ArrayList<>(bodies.size());
        List<IncomingRequest> requests = new ArrayList<>(bodies.size());
        for (byte[] body : bodies) {
            CompletableFuture<RpcOutcome> answer = new CompletableFuture<>();
            answers.add(answer);
            requests.add(new IncomingRequest() {
                @Override
                public byte[] body() {
                    return body;
                }

                @Override
                public String publisher() {
                    return null;
                }

                @Override
                public void answer(RpcOutcome outcome) {
                    answer.complete(outcome);
                }
            });
        }
        accept(requests);
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Answers each request exactly once: each is decoded, checked and authenticated on its own;
     * refusals are answered at once, requests of operations scheduled apart are handed to their
     * executor, and the others are served on this thread, those of an operation scheduled together
     * as one group. Returns once the requests served on this thread are answered. Never throws.
     */
    public void accept(List<? extends IncomingRequest> requests) {
        long started = System.nanoTime();
        Map<OperationHandler, List<OperationHandler.Call>> together = new LinkedHashMap<>();
        for (IncomingRequest request : requests) {
            Admission admission = admit(request, started);
            if (admission.refusal() != null) {
                answer(request, admission.refusal(), started);
            } else if (admission.handler().scheduling() == OperationHandler.Scheduling.APART) {
                serveApart(admission.handler(), admission.call());
            } else {
                together.computeIfAbsent(admission.handler(), handler -> new ArrayList<>()).add(admission.call());
            }
        }
        together.forEach(this::serveTogether);
    }

    private void serveApart(OperationHandler handler, AnsweredOnce call) {
        Runnable serve = () -> call.answer(serve(handler, call));
        try {
            apart.execute(serve);
        } catch (RejectedExecutionException e) {
            serve.run(); // shutting down: the request is still answered, on this thread
        }
    }

    /**
     * Serves the calls with {@code handler} together; the handler completes each. One it left
     * uncompleted, or all when it threw, is answered with the failure all the same. Never throws.
     */
    private void serveTogether(OperationHandler handler, List<OperationHandler.Call> calls) {
        RuntimeException thrown = null;
        try {
            handler.handleAll(calls);
        } catch (RuntimeException e) {
            thrown = e;
        }
        for (OperationHandler.Call call : calls) {
            if (!((AnsweredOnce) call).isAnswered()) {
                call.fail(thrown != null ? thrown
                        : new IllegalStateException("the " + handler.operation() + " handler left a call unanswered"));
            }
        }
    }

    /**
     * An admitted request as its handler sees it, and the one way it is answered: the first
     * completion publishes the reply; any later one is ignored.
     */
    private final class AnsweredOnce implements OperationHandler.Call {
        private final IncomingRequest incoming;
        private final OperationHandler handler;
        private final Request request;
        private final CallContext context;
        private final Response.Builder response;
        private final long started;
        private final AtomicBoolean answered = new AtomicBoolean();

        AnsweredOnce(IncomingRequest incoming, OperationHandler handler, Request request, CallContext context,
                     long started) {
            this.incoming = incoming;
            this.handler = handler;
            this.request = request;
            this.context = context;
            this.response = Response.newBuilder().setRequestId(request.getRequestId());
            this.started = started;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public CallContext context() {
            return context;
        }

        @Override
        public Response.Builder response() {
            return response;
        }

        @Override
        public void succeed() {
            if (answered.compareAndSet(false, true)) {
                RequestProcessor.this.answer(incoming, succeeded(this), started);
            }
        }

        @Override
        public void fail(RuntimeException failure) {
            if (answered.compareAndSet(false, true)) {
                RequestProcessor.this.answer(incoming, afterFailure(handler, this, failure, 1), started);
            }
        }

        void answer(RpcOutcome outcome) {
            if (answered.compareAndSet(false, true)) {
                RequestProcessor.this.answer(incoming, outcome, started);
            }
        }

        boolean isAnswered() {
            return answered.get();
        }
    }

    private void answer(IncomingRequest request, RpcOutcome outcome, long started) {
        try {
            request.answer(observed(outcome, started));
        } catch (RuntimeException e) {
            log.warn("answering request {} ({}) failed: {}", loggable(outcome.response().getRequestId()),
                    outcome.operation(), e.toString());
        }
    }

    /** Reports the outcome to the observer, timed from {@code startedNanos}; returns it. */
    RpcOutcome observed(RpcOutcome outcome, long startedNanos) {
        observer.observe(outcome.operation(), codeName(outcome.error()), System.nanoTime() - startedNanos);
        return outcome;
    }

    /** Either the request's answer already (it was refused), or the handler and call to serve it. */
    private record Admission(RpcOutcome refusal, OperationHandler handler, AnsweredOnce call) {
    }

    private static String codeName(ErrorCode code) {
        if (code == ErrorCode.ERROR_CODE_UNSPECIFIED) {
            return "OK";
        }
        String name = code.name();
        return name.startsWith("ERROR_CODE_") ? name.substring("ERROR_CODE_".length()) : name;
    }

    private Admission admit(IncomingRequest incoming, long started) {
        byte[] body = incoming.body();
        Instant receivedAt = clock.instant();
        Request request;
        try {
            request = decoder.parse(body);
        } catch (ServiceException e) {
            log.warn("refused undecodable request ({} bytes): {}", body.length, e.getMessage());
            return new Admission(failure("", "unknown", e), null, null);
        }
        String operation = operationName(request.getOperationCase());
        try {
            OperationHandler handler = handlerFor(request, receivedAt);
            Optional<Principal> principal = Optional.empty();
            if (handler.requiresAuthentication()) {
                if (request.getToken().isEmpty()) {
                    throw ServiceException.unauthenticated("a device token is required");
                }
                Principal caller = authenticator.authenticate(request.getToken());
                // After authentication, so a device cannot spend another device's allowance.
                rateLimiter.acquire(caller.deviceId());
                principal = Optional.of(caller);
            }
            identities.check(incoming.publisher(), request.getOperationCase(), principal);
            return new Admission(null, handler, new AnsweredOnce(incoming, handler, request,
                    new CallContext(request.getRequestId(), principal, receivedAt), started));
        } catch (RuntimeException e) {
            return new Admission(failed(request, operation, e), null, null);
        }
    }

    private RpcOutcome serve(OperationHandler handler, OperationHandler.Call call) {
        return serve(handler, call, 1);
    }

    /**
     * A request whose transaction's COMMIT was in doubt and whose answer is what a retry gets
     * ({@link ServiceException.Outcome#ANSWER_BY_RETRY}) is retried here, with the same request id,
     * up to {@link #ANSWER_ATTEMPTS} times in all: its client gets the stored answer instead of an
     * error. A later attempt that stored nothing (a broken connection before its COMMIT) says
     * nothing of the first, so it is attempted again; once the attempts are spent, it is answered
     * as an outcome unknown.
     */
    private RpcOutcome serve(OperationHandler handler, OperationHandler.Call call, int attempt) {
        try {
            handler.handle(call.request(), call.context(), call.response());
            return succeeded(call);
        } catch (RuntimeException e) {
            return afterFailure(handler, call, e, attempt);
        }
    }

    private RpcOutcome afterFailure(OperationHandler handler, OperationHandler.Call call, RuntimeException e,
                                    int attempt) {
        String operation = operationName(call.request().getOperationCase());
        RuntimeException answered = e;
        if (e instanceof ServiceException failed && failed.outcome() == ServiceException.Outcome.ANSWER_BY_RETRY) {
            if (attempt < ANSWER_ATTEMPTS) {
                log.info("request {} ({}): the connection broke around its COMMIT; answering as its retry",
                        loggable(call.request().getRequestId()), operation);
                call.response().clearResult();
                return serve(handler, call, attempt + 1);
            }
            answered = mayHaveBeenApplied(failed);
        } else if (attempt > 1 && e instanceof ServiceException failed && failed.isUnavailableWithNothingStored()) {
            if (attempt < ANSWER_ATTEMPTS) {
                call.response().clearResult();
                return serve(handler, call, attempt + 1);
            }
            answered = mayHaveBeenApplied(failed);
        }
        return failed(call.request(), operation, answered);
    }

    private static ServiceException mayHaveBeenApplied(ServiceException failure) {
        return ServiceException.outcomeUnknown("the database connection broke while the request was committing,"
                + " and it may have been applied; retry with the same request_id", failure.retryAfter(), failure);
    }

    private static RpcOutcome succeeded(OperationHandler.Call call) {
        return new RpcOutcome(call.response().build(), operationName(call.request().getOperationCase()),
                ErrorCode.ERROR_CODE_UNSPECIFIED);
    }

    private RpcOutcome failed(Request request, String operation, RuntimeException e) {
        if (e instanceof ServiceException refused) {
            logRefusal(request, operation, refused);
            return failure(request.getRequestId(), operation, refused);
        }
        log.error("request {} ({}) failed unexpectedly", loggable(request.getRequestId()), operation, e);
        Response response = Response.newBuilder()
                .setRequestId(request.getRequestId())
                .setError(errors.internal())
                .build();
        return new RpcOutcome(response, operation, ErrorCode.ERROR_CODE_INTERNAL);
    }

    /** Checks the envelope and finds the operation's handler. */
    private OperationHandler handlerFor(Request request, Instant receivedAt) {
        decoder.checkKnownFields(request);
        checkRequestId(request.getRequestId());
        if (request.getDeadlineMs() > 0 && request.getDeadlineMs() <= receivedAt.toEpochMilli()) {
            throw ServiceException.deadlineExceeded("the request's deadline passed before the service could start it");
        }
        if (request.getOperationCase() == Request.OperationCase.OPERATION_NOT_SET) {
            throw ServiceException.invalidArgument("operation", "the request names no operation");
        }
        return handlers.find(request.getOperationCase())
                .orElseThrow(() -> ServiceException.unimplemented(
                        "operation " + operationName(request.getOperationCase()) + " is not implemented by this server"));
    }

    private static boolean isValidRequestId(String requestId) {
        if (requestId.isEmpty() || requestId.length() > MAX_REQUEST_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < requestId.length(); i++) {
            char c = requestId.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A request id fit for a log line: a client-chosen string is not written out unchecked. */
    private static String loggable(String requestId) {
        return isValidRequestId(requestId) ? requestId : "<invalid request_id>";
    }

    private static void checkRequestId(String requestId) {
        if (requestId.isEmpty()) {
            throw ServiceException.invalidArgument("request_id", "request_id is required");
        }
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw ServiceException.invalidArgument("request_id",
                    "request_id is longer than " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        for (int i = 0; i < requestId.length(); i++) {
            char c = requestId.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw ServiceException.invalidArgument("request_id",
                        "request_id must be printable ASCII without spaces");
            }
        }
    }

    private RpcOutcome failure(String requestId, String operation, ServiceException e) {
        Response response = Response.newBuilder().setRequestId(requestId).setError(errors.toError(e)).build();
        return new RpcOutcome(response, operation, response.getError().getCode());
    }

    private static void logRefusal(Request request, String operation, ServiceException e) {
        String requestId = loggable(request.getRequestId());
        switch (e.kind()) {
            case UNAVAILABLE -> log.warn("request {} ({}) unavailable: {}", requestId, operation,
                    e.getMessage(), e.getCause());
            case INVALID_ARGUMENT, UNIMPLEMENTED, DEADLINE_EXCEEDED, UNAUTHENTICATED ->
                    log.info("request {} ({}) refused: {} {}", requestId, operation, e.kind(), e.getMessage());
            default -> log.debug("request {} ({}) answered {}: {}", requestId, operation, e.kind(), e.getMessage());
        }
    }

    /** The operation's name as its field in the envelope ("commit", "get_changes"). */
    public static String operationName(Request.OperationCase operation) {
        return OPERATION_NAMES.get(operation);
    }

    /** Every operation's name, looked up in the descriptor once, not per request. */
    private static Map<Request.OperationCase, String> operationNames() {
        Map<Request.OperationCase, String> names = new EnumMap<>(Request.OperationCase.class);
        for (Request.OperationCase operation : Request.OperationCase.values()) {
            names.put(operation, operation == Request.OperationCase.OPERATION_NOT_SET ? "none"
                    : Request.getDescriptor().findFieldByNumber(operation.getNumber()).getName());
        }
        return names;
    }
}
