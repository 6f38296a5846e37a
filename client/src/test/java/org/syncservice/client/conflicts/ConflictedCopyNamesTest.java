package org.syncservice.client.conflicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ConflictedCopyNamesTest {
    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);
    private static final Predicate<String> FREE = name -> false;

    private static String copy(String name, String device) {
        return ConflictedCopyNames.copyName(name, device, DAY, FREE);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void theMarkerGoesBetweenNameAndExtension() {
        assertThat(copy("report.pdf", "laptop")).isEqualTo("report (conflicted copy from laptop 2026-12-03).pdf");
    }

    @Test
    void theExtensionIsWhatFollowsTheLastDot() {
        assertThat(copy("notes.v2.txt", "laptop")).isEqualTo("notes.v2 (conflicted copy from laptop 2026-12-03).txt");
    }

    @Test
    void aNameWithoutDotHasNoExtension() {
        assertThat(copy("Makefile", "laptop")).isEqualTo("Makefile (conflicted copy from laptop 2026-12-03)");
    }

    @Test
    void aLeadingDotStartsNoExtension() {
        assertThat(copy(".bashrc", "laptop")).isEqualTo(".bashrc (conflicted copy from laptop 2026-12-03)");
        assertThat(copy(".config.json", "laptop")).isEqualTo(".config (conflicted copy from laptop 2026-12-03).json");
    }

    @Test
    void aTrailingDotStartsNoExtension() {
        assertThat(copy("draft.", "laptop")).isEqualTo("draft. (conflicted copy from laptop 2026-12-03)");
    }

    @Test
    void tarArchivesKeepTheirCompoundExtension() {
        assertThat(copy("backup.tar.gz", "laptop")).isEqualTo("backup (conflicted copy from laptop 2026-12-03).tar.gz");
        assertThat(copy("backup.TAR.XZ", "laptop")).isEqualTo("backup (conflicted copy from laptop 2026-12-03).TAR.XZ");
        assertThat(copy(".tar.gz", "laptop")).isEqualTo(".tar (conflicted copy from laptop 2026-12-03).gz");
    }

    @Test
    void anOverlongExtensionCountsAsPartOfTheName() {
        String name = "minutes." + "x".repeat(ConflictedCopyNames.MAX_EXTENSION_BYTES);
        assertThat(copy(name, "laptop")).isEqualTo(name + " (conflicted copy from laptop 2026-12-03)");
    }

    @Test
    void takenNamesGetANumberInsideTheParenthesis() {
        Set<String> taken = Set.of("a (conflicted copy from laptop 2026-12-03).txt",
                "a (conflicted copy from laptop 2026-12-03 2).txt");
        assertThat(ConflictedCopyNames.copyName("a.txt", "laptop", DAY, taken::contains))
                .isEqualTo("a (conflicted copy from laptop 2026-12-03 3).txt");
    }

    @Test
    void aFolderWhereEveryNameIsTakenFailsInsteadOfLooping() {
        assertThatThrownBy(() -> ConflictedCopyNames.copyName("a.txt", "laptop", DAY, name -> true))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void deviceNamesAreMadeSafeForFileNames() {
        assertThat(copy("a.txt", "work/laptop\\2\u0007\nx")).isEqualTo("a (conflicted copy from work_laptop_2__x 2026-12-03).txt");
        assertThat(copy("a.txt", "  \t ")).isEqualTo("a (conflicted copy from unknown device 2026-12-03).txt");
        assertThat(copy("a.txt", "a\u2028b")).isEqualTo("a (conflicted copy from a_b 2026-12-03).txt");
    }

    @Test
    void longDeviceNamesAreCut() {
        String copy = copy("a.txt", "d".repeat(300));
        assertThat(copy).isEqualTo("a (conflicted copy from " + "d".repeat(ConflictedCopyNames.MAX_DEVICE_BYTES)
                + " 2026-12-03).txt");
    }

    @Test
    void longNamesAreShortenedAndTheExtensionKept() {
        String copy = copy("n".repeat(250) + ".tar.gz", "laptop");
        assertThat(bytes(copy)).isEqualTo(ConflictedCopyNames.MAX_NAME_BYTES);
        assertThat(copy).startsWith("nnnn").endsWith(" (conflicted copy from laptop 2026-12-03).tar.gz");
    }

    @Test
    void shorteningCountsUtf8BytesAndNeverSplitsACharacter() {
        // Each "é" written as e + combining acute is 3 bytes and one character; each 😀 is 4 bytes.
        String name = "e\u0301".repeat(60) + "😀".repeat(30) + ".txt";
        String copy = copy(name, "laptop");
        assertThat(bytes(copy)).isLessThanOrEqualTo(ConflictedCopyNames.MAX_NAME_BYTES);
        String kept = copy.substring(0, copy.indexOf(" (conflicted copy"));
        assertThat(name).startsWith(kept);
        assertThat(kept).doesNotEndWith("e").matches("(e\u0301)*(😀)*");
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }

    @Test
    void numberedNamesStayWithinTheLimitToo() {
        String name = "n".repeat(255);
        String first = copy(name, "laptop");
        String second = ConflictedCopyNames.copyName(name, "laptop", DAY, first::equals);
        assertThat(bytes(first)).isEqualTo(255);
        assertThat(bytes(second)).isEqualTo(255);
        assertThat(second).endsWith(" 2026-12-03 2)");
    }

    @Test
    void aPathIsNoName() {
        assertThatThrownBy(() -> copy("dir/a.txt", "laptop")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy("", "laptop")).isInstanceOf(IllegalArgumentException.class);
    }
}
