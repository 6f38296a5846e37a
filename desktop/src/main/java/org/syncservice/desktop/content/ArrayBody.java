package org.syncservice.desktop.content;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A request body that hands out slices of one array instead of copies of it: the JDK's
 * {@code BodyPublishers.ofByteArray} copies every body into fresh 16 KiB buffers before sending
 * it, a copy and an allocation per 16 KiB of every chunk uploaded. The array must not change
 * while a request sends it (a chunk's bytes, read for that request alone, do not).
 *
 * <p>Each subscriber gets the whole array from its start (a request sent again sends it all
 * again). Thread-safe: a subscription may be asked for more from any thread, also from within
 * {@code onNext}.
 */
final class ArrayBody implements Flow.Publisher<ByteBuffer> {
    static final int SLICE = 64 * 1024;

    private final byte[] bytes;

    ArrayBody(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    private final class Slices implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private long demand;
        private int position;
        private boolean emitting;
        private boolean done;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (done) {
                    return;
                }
                if (n <= 0) {
                    done = true;
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    if (emitting) {
                        return; // the loop below, further up this thread's stack or on another, goes on
                    }
                    emitting = true;
                }
            }
            if (n <= 0) {
                subscriber.onError(new IllegalArgumentException("a subscriber asked for " + n + " buffers"));
                return;
            }
            while (true) {
                ByteBuffer slice;
                boolean last;
                synchronized (this) {
                    if (done || demand == 0) {
                        emitting = false;
                        return;
                    }
                    demand--;
                    int length = Math.min(SLICE, bytes.length - position);
                    slice = ByteBuffer.wrap(bytes, position, length).slice();
                    position += length;
                    last = position == bytes.length;
                    done = last;
                }
                subscriber.onNext(slice);
                if (last) {
                    subscriber.onComplete();
                    return;
                }
            }
        }

        @Override
        public synchronized void cancel() {
            done = true;
        }
    }
}
