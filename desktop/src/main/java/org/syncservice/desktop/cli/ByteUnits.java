package org.syncservice.desktop.cli;

import java.util.Locale;

/**
 * Sizes for people, in decimal units (kB, MB, GB, TB: powers of 1000, as disk makers and network
 * rates count), one decimal from 10 kB down to 1 kB and above. Stateless.
 */
final class ByteUnits {

    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

    private ByteUnits() {
    }

    static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** A rate in MB/s with one decimal. */
    static String rate(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1_000_000);
    }
}
