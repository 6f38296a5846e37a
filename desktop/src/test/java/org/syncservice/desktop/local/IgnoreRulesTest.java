package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {

    private final IgnoreRules defaults = IgnoreRules.defaults();

    @Test
    void theClientsOwnTemporaryFilesAreIgnoredInEveryFolder() {
        String temporary = IgnoreRules.temporaryNameFor("report.pdf");

        assertThat(temporary).isEqualTo(".syncservice-report.pdf.part");
        assertThat(defaults.ignores(temporary)).isTrue();
        assertThat(defaults.ignores("a/b/" + temporary)).isTrue();
        assertThat(IgnoreRules.isTemporaryName(temporary)).isTrue();
    }

    @Test
    void aTargetNameTooLongForThePrefixGetsAHashedTemporaryNameThatIsStillIgnored() {
        String longName = "é".repeat(120) + ".txt"; // 244 bytes: fits alone, not with prefix and suffix

        String temporary = IgnoreRules.temporaryNameFor(longName);

        assertThat(temporary.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(temporary).isEqualTo(IgnoreRules.temporaryNameFor(longName));
        assertThat(defaults.ignores(temporary)).isTrue();
    }

    @Test
    void downloadsOfTwoItemsToOneNameGetTemporaryFilesOfTheirOwn() {
        String first = IgnoreRules.temporaryNameFor("f.txt", 2);
        String second = IgnoreRules.temporaryNameFor("f.txt", 3);
        String longName = "é".repeat(120) + ".txt";

        assertThat(first).isNotEqualTo(second);
        assertThat(IgnoreRules.temporaryNameFor(longName, 2)).isNotEqualTo(IgnoreRules.temporaryNameFor(longName, 3));
        assertThat(IgnoreRules.temporaryNameFor(longName, Long.MAX_VALUE).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(255);
        assertThat(List.of(first, second, IgnoreRules.temporaryNameFor(longName, 2))).allSatisfy(name -> {
            assertThat(defaults.ignores(name)).isTrue();
            assertThat(IgnoreRules.isTemporaryName(name)).isTrue();
        });
    }

    @Test
    void aTemporaryNameIsMadeForANameNotAPath() {
        assertThatThrownBy(() -> IgnoreRules.temporaryNameFor("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IgnoreRules.temporaryNameFor("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void editorAndOperatingSystemJunkIsIgnored() {
        assertThat(List.of(".DS_Store", "Thumbs.db", "thumbs.db", "desktop.ini", "Desktop.ini", "~$report.docx",
                ".~lock.report.odt#", ".notes.txt.swp", ".notes.txt.swx", "notes.txt~", "deep/folder/.DS_Store"))
                .allSatisfy(name -> assertThat(defaults.ignores(name)).as(name).isTrue());
    }

    @Test
    void ordinaryNamesAreSynced() {
        assertThat(List.of("report.docx", "notes.txt", ".bashrc", "swp", "a~b", "$report", ".syncservice-notes",
                "Thumbs.db.bak", "folder/.part"))
                .allSatisfy(name -> assertThat(defaults.ignores(name)).as(name).isFalse());
    }

    @Test
    void userPatternsWithoutASlashMatchNamesInEveryFolderAndWithOneMatchTheWholePath() {
        IgnoreRules rules = IgnoreRules.withPatterns(List.of("*.tmp", "build", "cache/**"));

        assertThat(rules.ignores("x.tmp")).isTrue();
        assertThat(rules.ignores("deep/down/x.tmp")).isTrue();
        assertThat(rules.ignores("module/build")).isTrue();
        assertThat(rules.ignores("cache/a/b")).isTrue();
        assertThat(rules.ignores("x.tmpl")).isFalse();
        assertThat(rules.ignores("other/cache/a")).isFalse();
        assertThat(rules.userPatterns()).containsExactly("*.tmp", "build", "cache/**");
    }

    @Test
    void aPathBelowAnIgnoredFolderIsIgnored() {
        IgnoreRules rules = IgnoreRules.withPatterns(List.of("node_modules"));

        assertThat(rules.ignores("web/node_modules/lib/index.js")).isFalse();
        assertThat(rules.ignoresAnyOf("web/node_modules/lib/index.js")).isTrue();
        assertThat(rules.ignoresAnyOf("web/src/index.js")).isFalse();
    }

    @Test
    void aBlankPatternIsRefused() {
        assertThatThrownBy(() -> IgnoreRules.withPatterns(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
