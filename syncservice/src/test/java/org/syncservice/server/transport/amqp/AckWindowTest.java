package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The acks a channel sends, held to the broker's rules over random interleavings of deliveries,
 * answers and sends: a multiple ack names an unacknowledged delivery and covers every
 * unacknowledged one up to it, a single ack names an unacknowledged one; nothing is acknowledged
 * before it is answered, and in the end everything answered is acknowledged exactly once.
 * Each run is reproducible from its seed: {@code -Dack-window.seed=N} replays one,
 * {@code -Dack-window.seeds=K} runs K seeds.
 */
class AckWindowTest {
    private static final int SEEDS_IN_THE_BUILD = 500;

    @Test
    void randomInterleavingsKeepTheBrokersRules() {
        String one = System.getProperty("ack-window.seed");
        long first = one != null ? Long.parseLong(one) : new Random().nextInt(1_000_000);
        int seeds = one != null ? 1 : Integer.getInteger("ack-window.seeds", SEEDS_IN_THE_BUILD);
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                run(new Random(seed));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " failed (replay: -Dack-window.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
    }

    private static void run(Random random) {
        AckWindow window = new AckWindow();
        TreeSet<Long> unacknowledged = new TreeSet<>();
        Set<Long> answered = new HashSet<>();
        List<Long> waiting = new ArrayList<>();
        Set<Long> acknowledged = new HashSet<>();
        long nextTag = 1;
        int deliveries = 1 + random.nextInt(60);
        while (nextTag <= deliveries || !waiting.isEmpty()) {
            int step = random.nextInt(3);
            if (step == 0 && nextTag <= deliveries) {
                window.received(nextTag);
                unacknowledged.add(nextTag);
                waiting.add(nextTag);
                nextTag++;
            } else if (step == 1 && !waiting.isEmpty()) {
                long tag = waiting.remove(random.nextInt(waiting.size()));
                window.answered(tag);
                answered.add(tag);
            } else {
                send(window.take(), unacknowledged, answered, acknowledged);
            }
        }
        send(window.take(), unacknowledged, answered, acknowledged);
        assertThat(unacknowledged).as("left unacknowledged").isEmpty();
        assertThat(acknowledged).hasSize(deliveries);
    }

    /** Applies the acks as the broker would, refusing what it would refuse. */
    private static void send(AckWindow.Acks acks, TreeSet<Long> unacknowledged, Set<Long> answered,
                             Set<Long> acknowledged) {
        if (acks.upTo() > 0) {
            assertThat(unacknowledged).as("a multiple ack names an unacknowledged delivery").contains(acks.upTo());
            Set<Long> covered = new TreeSet<>(unacknowledged.headSet(acks.upTo(), true));
            assertThat(answered).as("a multiple ack covers only answered deliveries").containsAll(covered);
            unacknowledged.removeAll(covered);
            covered.forEach(tag -> assertThat(acknowledged.add(tag)).isTrue());
        }
        for (long tag : acks.singles()) {
            assertThat(unacknowledged).as("a single ack names an unacknowledged delivery").contains(tag);
            assertThat(answered).as("acknowledged before it was answered").contains(tag);
            unacknowledged.remove(tag);
            acknowledged.add(tag);
        }
    }

    @Test
    void anAnswerBehindAWaitingDeliveryIsAcknowledgedAloneAndTheHeadRunAsOne() {
        AckWindow window = new AckWindow();
        for (long tag = 1; tag <= 4; tag++) {
            window.received(tag);
        }
        window.answered(2);
        window.answered(3);
        assertThat(window.take()).isEqualTo(new AckWindow.Acks(0, List.of(2L, 3L)));
        window.answered(1);
        window.answered(4);
        assertThat(window.take()).as("1 and 4, one multiple ack; 2 and 3 are not named again")
                .isEqualTo(new AckWindow.Acks(4, List.of()));
        assertThat(window.take().isEmpty()).isTrue();
    }
}
