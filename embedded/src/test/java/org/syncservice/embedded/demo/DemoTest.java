package org.syncservice.embedded.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo, end to end against the embedded service, as {@code scripts/demo.sh} runs it. */
class DemoTest {

    @Test
    @Timeout(90)
    void theDemoRunsToTheEndAndThePhoneSeesEveryChangeOfTheLaptop() throws Exception {
        ByteArrayOutputStream story = new ByteArrayOutputStream();
        DemoReport report = DemoMain.runEmbedded("demo-test-password",
                new PrintStream(story, true, StandardCharsets.UTF_8));
        String told = story.toString(StandardCharsets.UTF_8);

        // Create, edit, rename, delete: four commits of the laptop, each announced to the phone.
        assertThat(report.laptopChangeSeqs()).hasSize(4);
        assertThat(report.phoneChangeSeqs()).containsAll(report.laptopChangeSeqs());
        assertThat(report.notifications()).isEqualTo(4);
        assertThat(report.chunksUploaded()).isPositive();
        assertThat(report.chunksDownloaded()).isPositive();
        assertThat(report.elapsed()).isLessThan(Duration.ofSeconds(30));
        assertThat(told)
                .contains("1. Two devices", "2. The laptop creates", "3. The phone is notified", "4. Both devices edit",
                        "5. The laptop renames", "6. Done")
                .contains("CONFLICT", "notes (conflicted copy from phone).txt", "notes (final).txt", "DELETED");
    }

    @Test
    void aWrongCommandLineExitsWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DemoMain.run(new String[] {"--bogus"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: scripts/demo.sh");
    }
}
