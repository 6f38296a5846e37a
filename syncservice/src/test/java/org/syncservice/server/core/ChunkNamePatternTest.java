package org.syncservice.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.Seeded;

class ChunkNamePatternTest {
    /** Patterns and names drawn from a seed; a long run: -Dsyncservice.test.chunkPatternRounds=200000. */
    private static final int ROUNDS = Integer.getInteger("syncservice.test.chunkPatternRounds", 20_000);
    private static final String CLASS_PIECES = "A-Z a-z 0-9 _ - . ~ a-f + 0-3 x";
    private static final String NAME_CHARS = "AZaz09_-.~fgx+3é[]\\^ ";

    @Test
    void theDefaultPatternTakesWhatTheRegularExpressionTakes() {
        ChunkNamePattern names = ChunkNamePattern.of(Pattern.compile("[A-Za-z0-9_-]{8,128}"));
        assertThat(names.matches("abcDEF09_-")).isTrue();
        assertThat(names.matches("short")).isFalse();
        assertThat(names.matches("a".repeat(129))).isFalse();
        assertThat(names.matches("a".repeat(128))).isTrue();
        assertThat(names.matches("abcdefgh/")).isFalse();
        assertThat(names.matches("abcdéfgh")).isFalse();
    }

    /**
     * Random patterns of the simple shape and of others, and random names: the pattern answers as
     * its regular expression does, every time. Replays with -Dsyncservice.test.chunkPatternSeed=N.
     */
    @Test
    void everyPatternAnswersAsItsRegularExpressionForRandomNames() {
        Seeded.run("syncservice.test.chunkPatternSeed", "the chunk pattern comparison", random -> {
            for (int round = 0; round < ROUNDS; round++) {
                Pattern regex = compiled(randomPattern(random));
                if (regex == null) {
                    continue;
                }
                ChunkNamePattern names = ChunkNamePattern.of(regex);
                for (int n = 0; n < 5; n++) {
                    String name = randomName(random);
                    assertThat(names.matches(name)).as("%s against %s", name, regex)
                            .isEqualTo(regex.matcher(name).matches());
                }
            }
        });
    }

    /** Null for a pattern start-up would refuse (such as the range ".--", backwards). */
    private static Pattern compiled(String pattern) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static String randomPattern(Random random) {
        String[] pieces = CLASS_PIECES.split(" ");
        StringBuilder body = new StringBuilder();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            body.append(pieces[random.nextInt(pieces.length)]);
        }
        int min = random.nextInt(6);
        int max = min + random.nextInt(6);
        return switch (random.nextInt(5)) {
            case 0 -> "[" + body + "]+"; // not the simple shape: the regular expression answers
            case 1 -> "[^" + body + "]{" + min + "," + max + "}";
            default -> "[" + body + "]{" + min + "," + max + "}";
        };
    }

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return name.toString();
    }
}
