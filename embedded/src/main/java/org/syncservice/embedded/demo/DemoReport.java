package org.syncservice.embedded.demo;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a demo run did.
 *
 * @param workspaceId the demo user's workspace
 * @param laptopChangeSeqs the change sequence numbers of the laptop's commits, in order
 * @param phoneChangeSeqs the change sequence numbers the phone's listener was handed
 * @param notifications notifications the phone printed (commits of the other device)
 * @param chunksUploaded chunks put into storage through signed URLs
 * @param chunksDownloaded chunks fetched from storage through signed URLs
 * @param elapsed how long the run took
 */
public record DemoReport(String workspaceId, List<Long> laptopChangeSeqs, Set<Long> phoneChangeSeqs,
                         int notifications, int chunksUploaded, int chunksDownloaded, Duration elapsed) {

    public DemoReport {
        laptopChangeSeqs = List.copyOf(laptopChangeSeqs);
        phoneChangeSeqs = Set.copyOf(phoneChangeSeqs);
    }
}
