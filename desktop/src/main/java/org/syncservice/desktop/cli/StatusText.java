package org.syncservice.desktop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.syncservice.desktop.state.StatusReport;

/**
 * The {@code status} command's text: plain lines of {@code label: value}, with the pending files,
 * conflicts and skipped paths listed under their heading (at most {@value #MAX_LISTED} each, then a
 * count of the rest). Stateless.
 */
final class StatusText {

    static final int MAX_LISTED = 20;

    private StatusText() {
    }

    static String format(Path folder, StatusReport report) {
        StringBuilder text = new StringBuilder();
        line(text, "folder", folder.toString());
        line(text, "state", report.state());
        report.blockedReason().ifPresent(reason -> line(text, "blocked", reason));
        transfers(text, "uploads pending", report.uploads());
        transfers(text, "downloads pending", report.downloads());
        line(text, "conflicts", Integer.toString(report.conflicts().size()));
        list(text, report.conflicts(), c -> c.originalPath() + " -> " + c.copyPath() + " (" + c.at() + ")");
        line(text, "skipped", Integer.toString(report.problems().size()));
        list(text, report.problems(), p -> p.path() + ": " + p.reason() + " (since " + p.since() + ")");
        line(text, "last error", report.lastError().orElse("none"));
        line(text, "updated", report.updatedAt().toString());
        return text.toString();
    }

    private static void transfers(StringBuilder text, String label, List<StatusReport.Transfer> transfers) {
        long bytes = transfers.stream().mapToLong(StatusReport.Transfer::size).sum();
        line(text, label, transfers.size() + (transfers.size() == 1 ? " file, " : " files, ") + ByteUnits.format(bytes));
        list(text, transfers, t -> t.path() + " (" + ByteUnits.format(t.size()) + ")");
    }

    private static <T> void list(StringBuilder text, List<T> entries, Function<T, String> describe) {
        entries.stream().limit(MAX_LISTED).forEach(entry -> text.append("  ").append(oneLine(describe.apply(entry))).append('\n'));
        if (entries.size() > MAX_LISTED) {
            text.append("  ... and ").append(entries.size() - MAX_LISTED).append(" more\n");
        }
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(label).append(": ").append(oneLine(value)).append('\n');
    }

    /** One line per value, whatever a path or an error message holds. */
    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n]+", " ");
    }
}
