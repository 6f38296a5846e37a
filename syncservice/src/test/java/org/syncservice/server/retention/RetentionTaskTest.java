package org.syncservice.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.newFile;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Item;
import org.syncservice.server.testing.Backdating;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** The background task as the running service starts it: it purges on its own, and stops with the service. */
class RetentionTaskTest {

    @Test
    void theRunningServicePurgesExpiredTombstonesOnItsOwn() throws Exception {
        try (RunningService service = RunningService.start(Map.of("retention.deleted-items", "1s",
                "retention.interval", "1s", "retention.pause", "0s"));
             SyncFixture fixture = new SyncFixture(service)) {
            SyncDevice ann = fixture.newUser("Ann");
            Item gone = ann.create(newFile("g", "gone.txt", 1));
            Item kept = ann.create(newFile("k", "kept.txt", 1));
            ann.commit(deleted(gone));
            Backdating rows = new Backdating(service.database().dataSource());

            long deadline = System.nanoTime() + 20_000_000_000L;
            while (rows.number("SELECT count(*) FROM items WHERE item_id = ?", gone.getItemId()) > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }

            assertThat(rows.number("SELECT count(*) FROM items WHERE item_id = ?", gone.getItemId())).isZero();
            assertThat(rows.number("SELECT count(*) FROM items WHERE item_id = ? AND NOT deleted", kept.getItemId()))
                    .isOne();
        }
    }
}
