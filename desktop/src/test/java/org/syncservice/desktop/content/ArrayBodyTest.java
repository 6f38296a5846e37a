package org.syncservice.desktop.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ArrayBodyTest {

    /** Collects what it is sent, asking for {@code perRequest} buffers at a time from within onNext. */
    private static final class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> sliceSizes = new ArrayList<>();
        final long perRequest;
        final int cancelAfter;
        Flow.Subscription subscription;
        boolean completed;
        Throwable error;

        Collector(long perRequest, int cancelAfter) {
            this.perRequest = perRequest;
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(perRequest);
        }

        @Override
        public void onNext(ByteBuffer item) {
            sliceSizes.add(item.remaining());
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            received.writeBytes(bytes);
            if (sliceSizes.size() == cancelAfter) {
                subscription.cancel();
            } else if (perRequest != Long.MAX_VALUE) {
                subscription.request(perRequest);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aSubscriberAskingOneAtATimeFromOnNextGetsTheWholeArrayInSlicesThenCompletion() {
        byte[] bytes = bytes(3 * ArrayBody.SLICE + 17);
        Collector collector = new Collector(1, -1);

        new ArrayBody(bytes).subscribe(collector);

        assertThat(collector.received.toByteArray()).isEqualTo(bytes);
        assertThat(collector.sliceSizes).containsExactly(ArrayBody.SLICE, ArrayBody.SLICE, ArrayBody.SLICE, 17);
        assertThat(collector.completed).isTrue();
        assertThat(collector.error).isNull();
    }

    @Test
    void unboundedDemandGetsEverythingAndEachSubscriberStartsFromTheBeginning() {
        byte[] bytes = bytes(ArrayBody.SLICE * 2);
        ArrayBody body = new ArrayBody(bytes);
        Collector first = new Collector(Long.MAX_VALUE, -1);
        Collector second = new Collector(Long.MAX_VALUE, -1);

        body.subscribe(first);
        body.subscribe(second);

        assertThat(first.received.toByteArray()).isEqualTo(bytes);
        assertThat(second.received.toByteArray()).isEqualTo(bytes);
        assertThat(second.completed).isTrue();
    }

    @Test
    void aCancelledSubscriptionSendsNothingMore() {
        Collector collector = new Collector(1, 2);

        new ArrayBody(bytes(5 * ArrayBody.SLICE)).subscribe(collector);
        collector.subscription.request(10);

        assertThat(collector.sliceSizes).hasSize(2);
        assertThat(collector.completed).isFalse();
    }

    @Test
    void askingForNothingIsAnError() {
        Collector collector = new Collector(0, -1);

        new ArrayBody(bytes(10)).subscribe(collector);

        assertThat(collector.error).isInstanceOf(IllegalArgumentException.class);
        assertThat(collector.sliceSizes).isEmpty();
    }
}
