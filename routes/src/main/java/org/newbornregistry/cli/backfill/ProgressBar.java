package org.newbornregistry.cli.backfill;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The import's progress: on a terminal a bar redrawn in place ({@code [#####     ] 45% 12,345/27,000
 * 230 msg/s ETA 0:01:03}), elsewhere (a log file, CI) a line every few seconds.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final Duration LINE_INTERVAL = Duration.ofSeconds(5);

    private final PrintWriter out;
    private final boolean terminal;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastLine;

    ProgressBar(PrintWriter out, boolean terminal, long total) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
    }

    /** Shows {@code answered} messages of this run out of {@code total}. */
    synchronized void show(long answered, boolean last) {
        long elapsed = System.nanoTime() - startNanos;
        if (!terminal && !last && elapsed - lastLine < LINE_INTERVAL.toNanos()) {
            return;
        }
        lastLine = elapsed;
        double seconds = Math.max(elapsed / 1e9, 0.001);
        double rate = answered / seconds;
        long remaining = Math.max(0, total - answered);
        String eta = rate > 0 ? clock((long) (remaining / rate)) : "--:--:--";
        int percent = total == 0 ? 100 : (int) (answered * 100 / total);
        int filled = total == 0 ? WIDTH : (int) (answered * WIDTH / total);
        String line = String.format(Locale.ROOT, "[%s%s] %3d%% %,d/%,d %.0f msg/s ETA %s",
                "#".repeat(filled), " ".repeat(WIDTH - filled), percent, answered, total, rate, eta);
        if (terminal) {
            out.print("\r" + line + (last ? System.lineSeparator() : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
