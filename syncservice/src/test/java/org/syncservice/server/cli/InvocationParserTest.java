package org.syncservice.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvocationParserTest {
    private final InvocationParser parser = new InvocationParser("1.2.3");

    @Test
    void configRunsTheService() {
        assertThat(parser.parse("--config", "/etc/sync.properties"))
                .isEqualTo(new Invocation.Run(Path.of("/etc/sync.properties"), List.of()));
        assertThat(parser.parse("-c", "x.properties"))
                .isEqualTo(new Invocation.Run(Path.of("x.properties"), List.of()));
        assertThat(parser.parse("--config=x.properties"))
                .isEqualTo(new Invocation.Run(Path.of("x.properties"), List.of()));
    }

    @Test
    void wordsAfterTheOptionsAreKeptWithTheirOwnOptionsForAdminCommands() {
        assertThat(parser.parse("-c", "x.properties", "add-user", "--email", "a@example.org", "-v"))
                .isEqualTo(new Invocation.Run(Path.of("x.properties"),
                        List.of("add-user", "--email", "a@example.org", "-v")));
    }

    @Test
    void initDbNeedsAConfig() {
        assertThat(parser.parse("--init-db", "--config", "x.properties"))
                .isEqualTo(new Invocation.InitDb(Path.of("x.properties")));
        assertThat(parser.parse("--init-db"))
                .isInstanceOfSatisfying(Invocation.UsageError.class, error ->
                        assertThat(error.message()).isEqualTo("--init-db needs --config FILE"));
    }

    @Test
    void initDbTakesNoArguments() {
        assertThat(parser.parse("--init-db", "-c", "x", "extra"))
                .isInstanceOfSatisfying(Invocation.UsageError.class, error ->
                        assertThat(error.message()).isEqualTo("--init-db takes no arguments, got 'extra'"));
    }

    @Test
    void dumpConfigNeedsNothingElse() {
        assertThat(parser.parse("--dump-config")).isEqualTo(new Invocation.DumpConfig());
    }

    @Test
    void dumpConfigWithAConfigIsAUsageErrorBecauseItPrintsOnlyDefaults() {
        assertThat(parser.parse("--dump-config", "-c", "x"))
                .isInstanceOf(Invocation.UsageError.class);
    }

    @Test
    void dumpConfigAndInitDbCannotBeCombined() {
        assertThat(parser.parse("--dump-config", "--init-db", "-c", "x"))
                .isInstanceOfSatisfying(Invocation.UsageError.class, error ->
                        assertThat(error.message()).isEqualTo("--dump-config and --init-db cannot be combined"));
    }

    @Test
    void helpPrintsUsageListingEveryOption() {
        for (String flag : new String[] {"-h", "--help"}) {
            assertThat(parser.parse(flag)).isInstanceOfSatisfying(Invocation.Help.class, help ->
                    assertThat(help.usageText()).isEqualTo(parser.usage()));
        }
        assertThat(parser.usage())
                .contains("-c, --config FILE", "--dump-config", "--init-db", "-h, --help", "-v, --version")
                .endsWith("\n");
    }

    @Test
    void helpWinsOverOtherOptions() {
        assertThat(parser.parse("-c", "x", "--init-db", "-h")).isInstanceOf(Invocation.Help.class);
    }

    @Test
    void versionReportsTheGivenVersion() {
        assertThat(parser.parse("-v")).isEqualTo(new Invocation.Version("1.2.3"));
        assertThat(parser.parse("--version")).isEqualTo(new Invocation.Version("1.2.3"));
    }

    @Test
    void theBuildVersionIsTheProjectVersion() {
        assertThat(InvocationParser.withBuildVersion().parse("-v"))
                .isInstanceOfSatisfying(Invocation.Version.class, version ->
                        assertThat(version.version()).isNotBlank().doesNotContain("${"));
    }

    @Test
    void noArgumentsAtAllIsAUsageErrorWithTheUsage() {
        assertThat(parser.parse()).isInstanceOfSatisfying(Invocation.UsageError.class, error -> {
            assertThat(error.message()).contains("--config FILE");
            assertThat(error.usageText()).isEqualTo(parser.usage());
        });
    }

    @Test
    void runningWithoutAConfigIsAUsageError() {
        assertThat(parser.parse("add-user")).isInstanceOfSatisfying(Invocation.UsageError.class, error ->
                assertThat(error.message()).isEqualTo("running the service needs --config FILE"));
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingIt() {
        assertThat(parser.parse("--frobnicate")).isInstanceOfSatisfying(Invocation.UsageError.class, error ->
                assertThat(error.message()).isEqualTo("unknown option '--frobnicate'"));
    }

    @Test
    void anUnknownOptionAfterAConfigIsAUsageErrorNotACommand() {
        assertThat(parser.parse("-c", "x", "--frobnicate")).isInstanceOfSatisfying(
                Invocation.UsageError.class, error ->
                        assertThat(error.message()).isEqualTo("unknown option '--frobnicate'"));
    }

    @Test
    void anAbbreviatedOptionIsNotGuessed() {
        assertThat(parser.parse("--conf", "x")).isInstanceOfSatisfying(Invocation.UsageError.class,
                error -> assertThat(error.message()).isEqualTo("unknown option '--conf'"));
    }

    @Test
    void configWithoutItsFileIsAUsageError() {
        assertThat(parser.parse("--config")).isInstanceOfSatisfying(Invocation.UsageError.class, error ->
                assertThat(error.message()).isEqualTo("option --config needs a FILE argument"));
    }

    @Test
    void configGivenTwiceIsAUsageError() {
        assertThat(parser.parse("-c", "a", "-c", "b")).isInstanceOfSatisfying(Invocation.UsageError.class,
                error -> assertThat(error.message()).isEqualTo("--config given more than once"));
    }

    @Test
    void exitCodesFollowTheConventions() {
        assertThat(ExitCode.OK.code()).isZero();
        assertThat(ExitCode.FAILURE.code()).isEqualTo(1);
        assertThat(ExitCode.USAGE.code()).isEqualTo(2);
        assertThat(ExitCode.CONFIG.code()).isEqualTo(78);
    }
}
