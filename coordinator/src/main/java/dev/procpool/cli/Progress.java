package dev.procpool.cli;

import dev.procpool.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of each mode on stderr: tasks done of the total, rate and time left, drawn by the progressbar
 * library one column narrower than the terminal (a line as wide as the terminal wraps on some). It appears only once
 * a mode has run for {@code delayMillis} (short runs stay quiet), and only where it was switched on (stderr a
 * terminal, no {@code --json}). One mode at a time; thread-safe.
 */
final class Progress {

    private final Consumer<String> sink;
    private final long delayMillis;
    /** The terminal's width in columns, asked each time a bar appears (the terminal may have been resized). */
    private final IntSupplier columns;
    private final ScheduledExecutorService timer;
    private Run current;

    private Progress(Consumer<String> sink, long delayMillis, IntSupplier columns) {
        this.sink = sink;
        this.delayMillis = delayMillis;
        this.columns = columns;
        this.timer = sink == null ? null : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "procpool-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** No bar at all. */
    static Progress none() {
        return new Progress(null, 0, () -> TerminalWidth.FALLBACK);
    }

    /** Bars drawn on {@code err} (each redraw starting with a carriage return), after {@code delayMillis}. */
    static Progress on(PrintWriter err, long delayMillis) {
        return new Progress(line -> {
            err.print('\r');
            err.print(line);
            err.flush();
        }, delayMillis, TerminalWidth::detect);
    }

    /** Bars for a terminal {@code columns} wide, handed to {@code sink} as rendered text; for tests. */
    static Progress into(Consumer<String> sink, long delayMillis, int columns) {
        return new Progress(sink, delayMillis, () -> columns);
    }

    /** Whether this process's stderr is a terminal (read from /proc: false where that cannot be told). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Starts following one mode's run; the listener goes to the run. */
    synchronized ProgressListener start(String label) {
        if (timer == null) {
            return ProgressListener.NONE;
        }
        Run run = new Run(label);
        current = run;
        run.reveal = timer.schedule(run::show, delayMillis, TimeUnit.MILLISECONDS);
        return run;
    }

    /** The mode is over: removes its bar, if one was shown. */
    synchronized void finish() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** One mode's run: counts always, draws once revealed. */
    private final class Run implements ProgressListener {
        private final String label;
        private final long startNanos = System.nanoTime();
        private volatile int done;
        private volatile int total;
        private ScheduledFuture<?> reveal;
        private ScheduledFuture<?> redraw;
        private ProgressBar bar;

        Run(String label) {
            this.label = label;
        }

        @Override
        public void progress(int done, int total) {
            this.done = done;
            this.total = total;
        }

        private void show() {
            synchronized (Progress.this) {
                if (current != this) {
                    return;
                }
                if (total == 0) {
                    // No task has finished yet (a long first task): look again shortly rather than never.
                    reveal = timer.schedule(this::show, 100, TimeUnit.MILLISECONDS);
                    return;
                }
                bar = new ProgressBarBuilder()
                        .setTaskName(label)
                        .setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" tasks", 1)
                        .showSpeed()
                        .clearDisplayOnFinish()
                        .setUpdateIntervalMillis(200)
                        .setConsumer(new DelegatingProgressBarConsumer(sink, columns.getAsInt() - 1))
                        // Shown late on purpose, but the mode started earlier: rate and time left count from then.
                        .startsFrom(done, Duration.ofNanos(System.nanoTime() - startNanos))
                        .build();
                redraw = timer.scheduleWithFixedDelay(() -> bar.stepTo(done), 100, 100, TimeUnit.MILLISECONDS);
            }
        }

        private void close() {
            reveal.cancel(false);
            if (redraw != null) {
                redraw.cancel(false);
            }
            if (bar != null) {
                bar.stepTo(done);
                bar.close();
            }
        }
    }
}
