package dev.procpool.internal;

import dev.procpool.WorkerOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Drains one worker's stderr on its own daemon thread, so a chatty worker never blocks on a full pipe: each
 * line goes to a {@link WorkerOutput}, and the last few are kept for error messages. Thread-safe.
 */
final class StderrPump {

    static final int TAIL_LINES = 20;
    /** Longer lines are cut into pieces, so one endless line cannot exhaust memory. */
    private static final int MAX_LINE_CHARS = 8192;

    private final int workerId;
    private final InputStream stderr;
    private final WorkerOutput output;
    private final Deque<String> tail = new ArrayDeque<>(TAIL_LINES);
    private final Thread thread;

    StderrPump(int workerId, InputStream stderr, WorkerOutput output) {
        this.workerId = workerId;
        this.stderr = stderr;
        this.output = output;
        this.thread = new Thread(this::pump, "procpool-worker-" + workerId + "-stderr");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits up to {@code millis} for the stream to end, so the tail holds a dying worker's last words. */
    void awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** The last lines seen, oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }

    private void pump() {
        try (Reader reader = new InputStreamReader(stderr, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] buffer = new char[4096];
            int read;
            while ((read = reader.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        emit(line);
                    } else if (c != '\r') {
                        line.append(c);
                        if (line.length() >= MAX_LINE_CHARS) {
                            emit(line);
                        }
                    }
                }
            }
            if (line.length() > 0) {
                emit(line);
            }
        } catch (IOException e) {
            // The process is gone and took its pipe with it: nothing more to read.
        }
    }

    private void emit(StringBuilder line) {
        String text = line.toString();
        line.setLength(0);
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        try {
            output.line(workerId, text);
        } catch (RuntimeException e) {
            // A failing sink must not stop the draining, or the worker would block on a full pipe.
        }
    }
}
