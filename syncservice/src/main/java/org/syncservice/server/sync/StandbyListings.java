package org.syncservice.server.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.SyncStore.ListingSnapshot;
import org.syncservice.server.sync.SyncStore.WorkspaceSequence;

/**
 * A streaming-replication standby that serves listing pages in the primary's place whenever it has
 * replayed what the caller already knows (docs/design.md, "Listings from a standby"). It never
 * answers on its own: a page it cannot serve (behind, down, a membership or cursor it does not
 * know yet) is handed back empty, and the primary answers. After a failure it is left alone for
 * {@link #RETRY_AFTER}, so a standby that is away costs one connection attempt per interval, not
 * one per listing. Thread-safe.
 */
public final class StandbyListings {
    /** How long listings stay on the primary after the standby failed before it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(StandbyListings.class);

    private final SyncStore standby;
    private final Clock clock;
    private final AtomicLong avoidedUntilMillis = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder served = new LongAdder();
    private final LongAdder behind = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private StandbyListings(SyncStore standby, Clock clock) {
        this.standby = standby;
        this.clock = clock;
    }

    /** No standby: every listing is the primary's. */
    public static StandbyListings none() {
        return new StandbyListings(null, Clock.systemUTC());
    }

    /** @param standby the store on the standby: read-only, behind the primary by its replication lag */
    public static StandbyListings on(SyncStore standby, Clock clock) {
        return new StandbyListings(standby, clock);
    }

    /** Whether a standby is there to ask at this moment (configured, and not failed a moment ago). */
    boolean available() {
        return standby != null && clock.millis() >= avoidedUntilMillis.get();
    }

    /**
     * Runs {@code work} on a snapshot of the standby if it has replayed up to {@code known}: the
     * workspace's change sequence number at least as high, and the same cursor epoch.
     *
     * @return empty when the standby cannot serve it; the primary must then
     */
    <T> Optional<T> read(UUID workspaceId, UUID userId, WorkspaceSequence known, Function<ListingSnapshot, T> work) {
        if (!available()) {
            return Optional.empty();
        }
        try {
            Optional<T> page = standby.inSnapshot(workspaceId, userId, snapshot -> caughtUp(snapshot.sequence(), known)
                    ? Optional.of(work.apply(snapshot)) : Optional.<T>empty()).flatMap(result -> result);
            (page.isPresent() ? served : behind).increment();
            return page;
        } catch (ServiceException e) {
            if (e.kind() == ServiceException.Kind.UNAVAILABLE) {
                avoid(e);
            } else {
                // A verdict on the cursor (expired) is the primary's to give: the standby may not have its history yet.
                behind.increment();
            }
            return Optional.empty();
        } catch (IllegalStateException e) {
            // A statement failed on the standby (one cancelled by a conflict with recovery, say).
            avoid(e);
            return Optional.empty();
        }
    }

    private static boolean caughtUp(WorkspaceSequence standby, WorkspaceSequence known) {
        return standby.latestChangeSeq() >= known.latestChangeSeq() && standby.cursorEpoch() == known.cursorEpoch();
    }

    private void avoid(RuntimeException e) {
        failed.increment();
        long until = clock.millis() + RETRY_AFTER.toMillis();
        if (avoidedUntilMillis.getAndSet(until) < clock.millis()) {
            log.warn("the standby failed a listing ({}); listings go to the primary for {} s before it is tried again",
                    e.getMessage(), RETRY_AFTER.toSeconds());
        }
    }

    /** Pages served by the standby, pages it was behind for, and failures, since start. */
    public Counts counts() {
        return new Counts(served.sum(), behind.sum(), failed.sum());
    }

    /** Counters of {@link #counts()}. */
    public record Counts(long served, long behind, long failed) {
    }
}
