package org.syncservice.desktop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.Error;
import org.syncservice.protocol.v1.ErrorCode;

class RetriesTest {
    private static final SyncServiceException STORED_NOTHING = SyncServiceException.fromError(Error.newBuilder()
            .setCode(ErrorCode.ERROR_CODE_UNAVAILABLE).setMessage("the database is unavailable").setRetryAfterMs(1)
            .build());
    private static final SyncServiceException UNKNOWN = SyncServiceException.fromError(Error.newBuilder()
            .setCode(ErrorCode.ERROR_CODE_UNAVAILABLE).setMessage("whether it was applied is unknown")
            .setOutcomeUnknown(true).setRetryAfterMs(1).build());

    @Test
    void anUnknownOutcomeStaysUnknownWhenTheRetriesOnlyStoredNothing() {
        Deque<SyncServiceException> failures = new ArrayDeque<>(List.of(UNKNOWN));
        while (failures.size() < Retries.ATTEMPTS) {
            failures.add(STORED_NOTHING);
        }
        SyncServiceException thrown = catchThrowableOfType(SyncServiceException.class,
                () -> Retries.call(() -> {
                    throw failures.remove();
                }));
        assertThat(thrown.isOutcomeUnknown()).as("the first attempt may have been applied").isTrue();
        assertThat(failures).isEmpty();
    }

    @Test
    void retriesThatAllStoredNothingSayNothingWasStored() {
        Deque<SyncServiceException> failures = new ArrayDeque<>();
        while (failures.size() < Retries.ATTEMPTS) {
            failures.add(STORED_NOTHING);
        }
        SyncServiceException thrown = catchThrowableOfType(SyncServiceException.class,
                () -> Retries.call(() -> {
                    throw failures.remove();
                }));
        assertThat(thrown.isOutcomeUnknown()).isFalse();
        assertThat(thrown.isLocal()).isFalse();
    }

    @Test
    void aRetryAfterAnUnknownOutcomeThatSucceedsIsTheAnswer() {
        Deque<SyncServiceException> failures = new ArrayDeque<>(List.of(UNKNOWN, STORED_NOTHING));
        String answer = Retries.call(() -> {
            if (!failures.isEmpty()) {
                throw failures.remove();
            }
            return "stored answer";
        });
        assertThat(answer).isEqualTo("stored answer");
    }
}
