package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.syncservice.desktop.engine.Progress;

class ProgressPrinterTest {
    private static final long SECOND = 1_000_000_000L;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void atATerminalOneLineIsRewrittenInPlaceWhenItChanges() {
        ProgressPrinter printer = new ProgressPrinter(out, true);
        printer.onProgress(new Progress(0, 2, 0, 2_000_000));
        printer.tick(0);
        printer.tick(SECOND / 4);
        printer.onProgress(new Progress(1, 2, 1_000_000, 2_000_000));
        printer.tick(SECOND);
        printer.close();
        assertThat(printed()).isEqualTo("\r0/2 files, 0 B of 2.0 MB"
                + "\r1/2 files, 1.0 MB of 2.0 MB, 1.0 MB/s, 1s left\n");
    }

    @Test
    void aShorterLineWipesTheRestOfTheLongerOne() {
        ProgressPrinter printer = new ProgressPrinter(out, true);
        printer.onProgress(new Progress(10, 20, 0, 2_000_000));
        printer.tick(0);
        printer.onProgress(new Progress(0, 2, 0, 20));
        printer.tick(1);
        assertThat(printed()).endsWith("\r0/2 files, 0 B of 20 B" + " ".repeat(4));
    }

    @Test
    void elsewhereAPlainLineComesEveryTenSecondsOfLongWork() {
        ProgressPrinter printer = new ProgressPrinter(out, false);
        printer.onProgress(new Progress(0, 5, 0, 5_000_000));
        for (int s = 0; s <= 25; s++) {
            printer.onProgress(new Progress(s / 10, 5, s * 100_000L, 5_000_000));
            printer.tick(s * SECOND);
        }
        printer.close();
        assertThat(printed()).isEqualTo("1/5 files, 1.0 MB of 5.0 MB, 0.1 MB/s, 40s left\n"
                + "2/5 files, 2.0 MB of 5.0 MB, 0.1 MB/s, 30s left\n");
    }

    @Test
    void elsewhereShortWorkPrintsNothing() {
        ProgressPrinter printer = new ProgressPrinter(out, false);
        printer.onProgress(new Progress(0, 1, 0, 10));
        printer.tick(0);
        printer.onProgress(new Progress(1, 1, 10, 10));
        printer.tick(11 * SECOND);
        printer.close();
        assertThat(printed()).isEmpty();
    }
}
