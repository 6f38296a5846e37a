package org.syncservice.server.admin;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/** Reading option values of admin commands, with one-line usage errors. Stateless. */
final class Arguments {
    private static final Pattern BYTES = Pattern.compile("(\\d{1,19})\\s*([KMGT]?)(i?B)?", Pattern.CASE_INSENSITIVE);

    private Arguments() {
    }

    static Option required(String longName, String argName, String description) {
        return Option.builder().longOpt(longName).hasArg().argName(argName).required().desc(description).build();
    }

    static String text(CommandLine line, String option) {
        return line.getOptionValue(option);
    }

    /** A byte count: digits, optionally followed by K, M, G or T (powers of 1024), e.g. 10G. */
    static long bytes(CommandLine line, String option) {
        String value = line.getOptionValue(option).strip();
        Matcher matcher = BYTES.matcher(value);
        if (!matcher.matches()) {
            throw new AdminUsageException("--" + option + ": expected a number of bytes such as 1073741824 or 1G,"
                    + " got '" + value + "'");
        }
        int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long number = Long.parseLong(matcher.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new AdminUsageException("--" + option + ": '" + value + "' is too large");
        }
    }

    static UUID uuid(CommandLine line, String option) {
        String value = line.getOptionValue(option).strip();
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new AdminUsageException("--" + option + ": expected an id such as"
                    + " 123e4567-e89b-12d3-a456-426614174000, got '" + value + "'");
        }
    }
}
