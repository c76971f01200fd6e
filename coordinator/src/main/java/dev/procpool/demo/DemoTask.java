package dev.procpool.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One of the demo's eleven tasks: its kind and its number among the tasks of its family. Immutable.
 *
 * @param kind what the task does, which decides where the mixed run puts it
 * @param number from 1 among the computes, the downloads (both kinds) or the waits; a download fetches the page
 *               of this number
 */
record DemoTask(Kind kind, int number) {

    /** What a task does, and the executor that suits it in the mixed run. */
    enum Kind {
        COMPUTE("compute", "cpu-bound", "CPU-bound", "process pool", "computes"),
        ASYNC_DOWNLOAD("download", "async-io", "async I/O", "HttpClient.sendAsync", "downloads"),
        BLOCKING_DOWNLOAD("download", "blocking-io", "blocking I/O", "platform thread", "downloads"),
        WAIT("wait", "waiting", "waiting", "virtual thread", "waits");

        private final String noun;
        private final String key;
        private final String label;
        private final String executor;
        private final String family;

        Kind(String noun, String key, String label, String executor, String family) {
            this.noun = noun;
            this.key = key;
            this.label = label;
            this.executor = executor;
            this.family = family;
        }

        /** The kind in the JSON report: {@code cpu-bound}, {@code async-io}, {@code blocking-io}, {@code waiting}. */
        String key() {
            return key;
        }

        /** The kind in the table. */
        String label() {
            return label;
        }

        /** Where the mixed run puts a task of this kind. */
        String executor() {
            return executor;
        }

        /** The plural the lesson uses, shared by both kinds of download: {@code downloads}. */
        String family() {
            return family;
        }
    }

    /** The name shown in the report: {@code compute 2}, {@code download 3}, {@code wait 1}. */
    String name() {
        return kind.noun + " " + number;
    }

    /** The classic's eleven: three computes, two asynchronous and two blocking downloads, four waiting tasks. */
    static List<DemoTask> eleven() {
        List<DemoTask> tasks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            tasks.add(new DemoTask(Kind.COMPUTE, i));
        }
        for (int i = 1; i <= 4; i++) {
            tasks.add(new DemoTask(i <= 2 ? Kind.ASYNC_DOWNLOAD : Kind.BLOCKING_DOWNLOAD, i));
        }
        for (int i = 1; i <= 4; i++) {
            tasks.add(new DemoTask(Kind.WAIT, i));
        }
        return List.copyOf(tasks);
    }
}
