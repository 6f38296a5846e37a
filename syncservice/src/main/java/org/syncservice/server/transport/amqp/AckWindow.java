package org.syncservice.server.transport.amqp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which deliveries of one channel to acknowledge, and how: a request is acknowledged only once it
 * was answered, and answers come back in any order (a slow request served apart, commits served
 * together behind it). The answered run at the head of the channel's deliveries goes out as one
 * multiple ack; an answer behind an unanswered delivery is acknowledged on its own, so that a slow
 * request does not hold the channel's prefetch for those behind it. Never acknowledges a delivery
 * twice, nor one not answered. Thread-safe; the caller sends what {@link #take} returns before the
 * next call, under the lock it publishes replies with, so acks go out in the order they were taken.
 */
final class AckWindow {
    private enum State { WAITING, ANSWERED, ACKNOWLEDGED }

    /** What to send: one multiple ack up to {@code upTo} (0: none), then single acks. */
    record Acks(long upTo, List<Long> singles) {
        boolean isEmpty() {
            return upTo == 0 && singles.isEmpty();
        }
    }

    /** The channel's deliveries not yet behind the acknowledged head, in delivery order. */
    private final ArrayDeque<Long> open = new ArrayDeque<>();
    private final Map<Long, State> states = new HashMap<>();
    /** Answered deliveries behind a waiting one, not acknowledged yet. */
    private final List<Long> answeredBehind = new ArrayList<>();

    /** A delivery arrived; tags arrive in increasing order. */
    synchronized void received(long tag) {
        if (!open.isEmpty() && tag <= open.peekLast()) {
            throw new IllegalArgumentException("delivery tag " + tag + " after " + open.peekLast());
        }
        open.addLast(tag);
        states.put(tag, State.WAITING);
    }

    /** A delivery was answered: it may be acknowledged. */
    synchronized void answered(long tag) {
        if (states.get(tag) != State.WAITING) {
            throw new IllegalStateException("delivery " + tag + " was answered already or is unknown");
        }
        states.put(tag, State.ANSWERED);
        answeredBehind.add(tag);
    }

    /** The acks due now, marked as sent. */
    synchronized Acks take() {
        long upTo = 0;
        while (!open.isEmpty() && states.get(open.peekFirst()) != State.WAITING) {
            long head = open.pollFirst();
            if (states.remove(head) == State.ANSWERED) {
                upTo = head;
            }
        }
        List<Long> singles = new ArrayList<>();
        for (long tag : answeredBehind) {
            if (tag > upTo && states.get(tag) == State.ANSWERED) {
                states.put(tag, State.ACKNOWLEDGED);
                singles.add(tag);
            }
        }
        answeredBehind.clear();
        return new Acks(upTo, singles);
    }
}
