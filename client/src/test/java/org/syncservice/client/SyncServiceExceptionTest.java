package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Error;
import org.syncservice.protocol.v1.ErrorCode;

class SyncServiceExceptionTest {

    @Test
    void theServicesUnavailableStoredNothingUnlessItSaysTheOutcomeIsUnknown() {
        SyncServiceException storedNothing = SyncServiceException.fromError(Error.newBuilder()
                .setCode(ErrorCode.ERROR_CODE_UNAVAILABLE).setMessage("down").setRetryAfterMs(1000).build());
        SyncServiceException unknown = SyncServiceException.fromError(Error.newBuilder()
                .setCode(ErrorCode.ERROR_CODE_UNAVAILABLE).setMessage("in doubt").setOutcomeUnknown(true).build());

        assertThat(storedNothing.isRetryable()).isTrue();
        assertThat(storedNothing.isOutcomeUnknown()).isFalse();
        assertThat(unknown.isRetryable()).isTrue();
        assertThat(unknown.isOutcomeUnknown()).isTrue();
        assertThat(unknown.toString()).contains("outcomeUnknown");
    }

    @Test
    void aLocalTimeoutOrConnectionFailureLeavesTheOutcomeUnknown() {
        assertThat(SyncServiceException.local(ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED, "no reply", null)
                .isOutcomeUnknown()).isTrue();
        assertThat(SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "connection lost", null)
                .isOutcomeUnknown()).isTrue();
        assertThat(SyncServiceException.fromError(Error.newBuilder().setCode(ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED)
                .setMessage("too late").build()).isOutcomeUnknown()).as("the service's: nothing was done").isFalse();
    }
}
