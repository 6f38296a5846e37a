package org.syncservice.server.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies that {@link RequestProcessor#admitAll} decoded, checked and authenticated, waiting
 * to be served. Each handler declares where ({@link OperationHandler#scheduling()}): each request of
 * an operation scheduled {@link OperationHandler.Scheduling#APART apart} ({@link #apart()}) may go to
 * a thread of its own, since it may be slow (a login's password hash, a call to the storage
 * back-end); {@link #serveTogether()} answers all the others, the refusals and the operations
 * scheduled {@link OperationHandler.Scheduling#TOGETHER together} (commits, in one transaction).
 *
 * <p>Thread-safety: {@link #serveApart} may run on several threads at once, each for other
 * requests, and next to {@link #serveTogether()}, which runs once.
 */
public final class AdmittedRequests {
    private final RequestProcessor processor;
    private final long admittedAtNanos;
    private final RpcOutcome[] refusals;
    private final List<RequestProcessor.Admission> admissions;
    private final List<Integer> apart;

    AdmittedRequests(RequestProcessor processor, long admittedAtNanos, List<RequestProcessor.Admission> admissions) {
        this.processor = processor;
        this.admittedAtNanos = admittedAtNanos;
        this.admissions = admissions;
        this.refusals = new RpcOutcome[admissions.size()];
        List<Integer> single = new ArrayList<>();
        for (int i = 0; i < admissions.size(); i++) {
            RequestProcessor.Admission admission = admissions.get(i);
            if (admission.outcome() != null) {
                refusals[i] = admission.outcome();
            } else if (admission.handler().scheduling() == OperationHandler.Scheduling.APART) {
                single.add(i);
            }
        }
        this.apart = Collections.unmodifiableList(single);
    }

    /** The positions of the requests that are served one at a time, in order. */
    public List<Integer> apart() {
        return apart;
    }

    /** Serves the request at {@code position}, one of {@link #apart()}. Never throws. */
    public RpcOutcome serveApart(int position) {
        if (!apart.contains(position)) {
            throw new IllegalArgumentException("request " + position + " is not served apart");
        }
        RequestProcessor.Admission admission = admissions.get(position);
        return processor.observed(processor.serve(admission.handler(), admission.call()), admittedAtNanos);
    }

    /**
     * Answers every request that is not {@link #apart()}: refusals as they are, and the others
     * together with the requests of their operation. Never throws.
     *
     * @return one outcome per request body, in order; {@code null} at the positions served apart
     */
    public RpcOutcome[] serveTogether() {
        RpcOutcome[] outcomes = refusals.clone();
        Map<OperationHandler, List<Integer>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < admissions.size(); i++) {
            OperationHandler handler = admissions.get(i).handler();
            if (handler != null && handler.scheduling() == OperationHandler.Scheduling.TOGETHER) {
                grouped.computeIfAbsent(handler, h -> new ArrayList<>()).add(i);
            }
        }
        grouped.forEach((handler, positions) -> {
            List<OperationHandler.Call> calls = new ArrayList<>(positions.size());
            positions.forEach(i -> calls.add(admissions.get(i).call()));
            List<RpcOutcome> served = processor.serveTogether(handler, calls);
            for (int k = 0; k < positions.size(); k++) {
                outcomes[positions.get(k)] = served.get(k);
            }
        });
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] != null) {
                processor.observed(outcomes[i], admittedAtNanos);
            }
        }
        return outcomes;
    }
}
