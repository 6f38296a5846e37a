package org.syncservice.server.account;

import java.time.Duration;
import java.time.Instant;

/**
 * Failed password attempts per account, shared by every instance (so N instances allow no more
 * attempts than one). The delays: the first {@code freeFailures} failures cost nothing more; after
 * that each attempt must wait until a delay has passed since the last failure, 1 s doubling up to
 * {@code maxDelay}. An attempt beyond the free failures is counted as failed before its password is
 * checked, in one atomic step that refuses it when the account must still wait, so racing attempts
 * on one instance or many get exactly one check per delay; within the free failures an attempt is
 * counted only once it failed, so a user's devices logging in at once are not taken for an attack
 * (the price: attempts in flight together may overshoot the free failures, by at most the checks
 * that run at once). Failures are forgotten after {@link #forgetAfter} of quiet. Times are the
 * caller's clock. Implementations are thread-safe.
 */
public interface LoginFailures {

    /** The wait before an account's next attempt starts at this and doubles. */
    Duration FIRST_DELAY = Duration.ofSeconds(1);

    /** What {@link #claim} decided. */
    sealed interface Claim {
        /** The attempt may be checked; {@code counted}: it was counted as failed already. */
        record Allowed(boolean counted) implements Claim {
        }

        /** The account must wait until {@code notBefore}; nothing was counted. */
        record Refused(Instant notBefore) implements Claim {
        }
    }

    /** Decides whether {@code account} may be checked at {@code now}, counting the attempt if it is beyond the free failures. */
    Claim claim(String account, Instant now);

    /** The password matched: the account's failures are forgotten. */
    void succeeded(String account);

    /** The password did not match; {@code claim} is what {@link #claim} answered for the attempt. */
    void failed(String account, Claim.Allowed claim, Instant now);

    /** The attempt was not checked after all (the check itself failed): it is not counted. */
    void notChecked(String account, Claim.Allowed claim);

    /** Removes the failures of accounts left alone since before {@code before}; returns how many. */
    int forgetQuietSince(Instant before);

    /** How long an account's failures are kept after its last one: twice the longest delay. */
    static Duration forgetAfter(Duration maxDelay) {
        return maxDelay.multipliedBy(2);
    }
}
