package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.syncservice.desktop.state.StatusReport;

class StatusTextTest {
    private static final Instant AT = Instant.parse("2026-12-03T14:00:00Z");

    @Test
    void everythingTheReportHoldsIsPrintedPlainly() {
        StatusReport report = new StatusReport("blocked", Optional.of("600 of 1000 files vanished in one scan"),
                List.of(new StatusReport.Transfer("a/big.iso", 4_000_000_000L), new StatusReport.Transfer("b.txt", 12)),
                List.of(new StatusReport.Transfer("c.jpg", 2_500_000)),
                List.of(new StatusReport.Conflict("plan.odt", "plan (conflicted copy from laptop 2026-12-03).odt", AT)),
                List.of(new StatusReport.Problem("CON.txt", "name refused by Windows", AT)),
                Optional.of("UNAVAILABLE: the broker\nis down"), AT);
        assertThat(StatusText.format(Path.of("/home/u/Sync"), report)).isEqualTo("""
                folder: /home/u/Sync
                state: blocked
                blocked: 600 of 1000 files vanished in one scan
                uploads pending: 2 files, 4.0 GB
                  a/big.iso (4.0 GB)
                  b.txt (12 B)
                downloads pending: 1 file, 2.5 MB
                  c.jpg (2.5 MB)
                conflicts: 1
                  plan.odt -> plan (conflicted copy from laptop 2026-12-03).odt (2026-12-03T14:00:00Z)
                skipped: 1
                  CON.txt: name refused by Windows (since 2026-12-03T14:00:00Z)
                last error: UNAVAILABLE: the broker is down
                updated: 2026-12-03T14:00:00Z
                """);
    }

    @Test
    void anIdleFolderSaysSoInFewLines() {
        StatusReport report = new StatusReport("idle", Optional.empty(), List.of(), List.of(), List.of(), List.of(),
                Optional.empty(), AT);
        assertThat(StatusText.format(Path.of("/s"), report)).isEqualTo("""
                folder: /s
                state: idle
                uploads pending: 0 files, 0 B
                downloads pending: 0 files, 0 B
                conflicts: 0
                skipped: 0
                last error: none
                updated: 2026-12-03T14:00:00Z
                """);
    }

    @Test
    void longListsAreCutWithACountOfTheRest() {
        List<StatusReport.Transfer> uploads = IntStream.range(0, 25)
                .mapToObj(i -> new StatusReport.Transfer("f" + i, 1)).toList();
        String text = StatusText.format(Path.of("/s"), new StatusReport("syncing", Optional.empty(), uploads,
                List.of(), List.of(), List.of(), Optional.empty(), AT));
        assertThat(text).contains("uploads pending: 25 files, 25 B\n", "  f19 (1 B)\n  ... and 5 more\n")
                .doesNotContain("f20");
    }
}
