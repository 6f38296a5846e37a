package org.syncservice.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NameRulesTest {

    @Test
    void ordinaryNamesAreValid() {
        assertThat(NameRules.nameProblem("Photos", 255)).isNull();
        assertThat(NameRules.nameProblem("été 2024 (copy).txt", 255)).isNull();
        assertThat(NameRules.nameProblem("...", 255)).isNull();
    }

    @Test
    void emptyDotsSlashesAndControlCharactersAreInvalid() {
        assertThat(NameRules.nameProblem("", 255)).isNotNull();
        assertThat(NameRules.nameProblem(".", 255)).isNotNull();
        assertThat(NameRules.nameProblem("..", 255)).isNotNull();
        assertThat(NameRules.nameProblem("a/b", 255)).isNotNull();
        assertThat(NameRules.nameProblem("a\u0000b", 255)).isNotNull();
        assertThat(NameRules.nameProblem("a\nb", 255)).isNotNull();
        assertThat(NameRules.nameProblem("a\u007fb", 255)).isNotNull();
    }

    @Test
    void theLengthLimitCountsUtf8Bytes() {
        assertThat(NameRules.nameProblem("é".repeat(127), 255)).isNull();
        assertThat(NameRules.nameProblem("é".repeat(128), 255)).isNotNull();
    }

    @Test
    void mountPointsAreRelativePathsOfValidNames() {
        assertThat(NameRules.mountPointProblem("", 255)).isNull();
        assertThat(NameRules.mountPointProblem("Shared", 255)).isNull();
        assertThat(NameRules.mountPointProblem("Work/Team A", 255)).isNull();

        assertThat(NameRules.mountPointProblem("/etc", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("a/../b", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("..", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("a/./b", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("a//b", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("a/", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("a\u0001", 255)).isNotNull();
        assertThat(NameRules.mountPointProblem("a/".repeat(512) + "b", 255)).isNotNull();
    }

    @Test
    void aRefusedNameNamesTheField() {
        assertThatThrownBy(() -> NameRules.requireName("update_workspace.name", "a/b", 255))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID_ARGUMENT);
                    assertThat(e.field()).isEqualTo("update_workspace.name");
                });
    }
}
