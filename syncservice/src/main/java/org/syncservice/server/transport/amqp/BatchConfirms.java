package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The publisher confirms of one channel, per batch: which of the batch's messages (by their place
 * in the batch) the broker has confirmed, refused, or not answered yet. Thread-safe: the
 * connection's thread reports confirms while the publisher waits.
 */
final class BatchConfirms implements ConfirmListener {
    /** How often a waiter looks again whether the channel closed (the shutdown listener also wakes it). */
    private static final long RECHECK_MS = 100;

    private final NavigableMap<Long, Integer> outstanding = new TreeMap<>();
    private final List<Integer> nacked = new ArrayList<>();

    synchronized void reset() {
        outstanding.clear();
        nacked.clear();
    }

    synchronized void expect(long sequenceNumber, int index) {
        outstanding.put(sequenceNumber, index);
    }

    /** The publish of this sequence number failed before it reached the broker. */
    synchronized void forget(long sequenceNumber) {
        outstanding.remove(sequenceNumber);
    }

    @Override
    public synchronized void handleAck(long deliveryTag, boolean multiple) {
        answered(deliveryTag, multiple).clear();
        notifyAll();
    }

    @Override
    public synchronized void handleNack(long deliveryTag, boolean multiple) {
        NavigableMap<Long, Integer> refused = answered(deliveryTag, multiple);
        nacked.addAll(refused.values());
        refused.clear();
        notifyAll();
    }

    private NavigableMap<Long, Integer> answered(long deliveryTag, boolean multiple) {
        return multiple ? outstanding.headMap(deliveryTag, true) : outstanding.subMap(deliveryTag, true,
                deliveryTag, true);
    }

    synchronized void wake() {
        notifyAll();
    }

    /** Waits until every message was answered (true), the channel closed or the deadline passed (false). */
    synchronized boolean await(Channel channel, long deadlineNanos) throws InterruptedException {
        while (!outstanding.isEmpty() && channel.isOpen()) {
            long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            wait(Math.min(leftMs, RECHECK_MS));
        }
        return outstanding.isEmpty();
    }

    synchronized List<Integer> nacked() {
        return List.copyOf(nacked);
    }

    /** The places of the messages not answered yet, in publishing order. */
    synchronized Collection<Integer> outstanding() {
        return List.copyOf(outstanding.values());
    }
}
