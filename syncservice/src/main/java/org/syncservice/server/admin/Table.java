package org.syncservice.server.admin;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints rows in aligned columns under a header, for the list commands. Not thread-safe. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(Object... values) {
        String[] row = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            row[i] = String.valueOf(values[i]);
        }
        rows.add(row);
        return this;
    }

    void print(PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
