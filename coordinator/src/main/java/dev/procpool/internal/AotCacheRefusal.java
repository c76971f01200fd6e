package dev.procpool.internal;

import dev.procpool.WorkerOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passes workers' stderr lines on, except the JVM's refusals of the AOT cache. A JVM that cannot use the cache
 * (damaged, or made for other flags) says so in a block of lines on stderr, warnings then errors (the workers'
 * logging flags keep them off the protocol stream), and starts without it; so does every worker of the pool. The
 * first refusal becomes one notice for the pool, quoting the JVM's reason, and the cache is deleted so the next
 * pool makes a new one; the blocks themselves are dropped. Warnings about the cache that no error follows were not a
 * refusal: they are passed on when the worker's next other line comes.
 *
 * <p>Thread-safe: each worker's stderr pump calls it from its own thread, and only that thread touches the worker's
 * block.
 */
final class AotCacheRefusal implements WorkerOutput {

    /**
     * A line of the JVM's unified logging at warning or error level about the AOT cache or the class-data sharing
     * beneath it, with the default decorations: {@code [0.005s][error  ][aot] Unable to map shared spaces}.
     */
    private static final Pattern CACHE_LINE =
            Pattern.compile("^\\[[^\\]]*\\]\\[(warning|error)\\s*\\]\\[(?:aot|cds)[a-z,]*\\s*\\]\\s?(.*)$");
    /** The further lines of one logged message, decorated with blanks: {@code [            ] The saved state...}. */
    private static final Pattern CONTINUATION = Pattern.compile("^\\[\\s*\\]\\s?(.*)$");
    /** Warnings held for one worker at most: past them, they are passed on. */
    private static final int MAX_HELD = 20;

    /** One worker's run of cache lines: held until it is known whether an error (a refusal) ends it. */
    private static final class Block {
        final List<String> lines = new ArrayList<>();
        final List<String> reason = new ArrayList<>();
        boolean refusal;
    }

    private final Path cache;
    private final WorkerOutput output;
    private final Consumer<String> notices;
    private final Map<Integer, Block> blocks = new ConcurrentHashMap<>();
    private final AtomicBoolean refused = new AtomicBoolean();

    /**
     * @param cache the AOT cache the workers start from
     * @param output where every other line goes
     * @param notices hears once that the cache was refused, and why
     */
    AotCacheRefusal(Path cache, WorkerOutput output, Consumer<String> notices) {
        this.cache = cache;
        this.output = output;
        this.notices = notices;
    }

    @Override
    public void line(int workerId, String line) {
        Block block = blocks.get(workerId);
        Matcher cacheLine = CACHE_LINE.matcher(line);
        if (cacheLine.matches()) {
            if (block == null) {
                block = new Block();
                blocks.put(workerId, block);
            }
            add(block, line, cacheLine.group(2));
            if (cacheLine.group(1).equals("error") && !block.refusal) {
                refuse(block);
            } else if (block.lines.size() > MAX_HELD) {
                blocks.remove(workerId);
                pass(workerId, block);
            }
            return;
        }
        if (block != null) {
            Matcher continuation = CONTINUATION.matcher(line);
            if (continuation.matches()) {
                add(block, line, continuation.group(1));
                return;
            }
            blocks.remove(workerId);
            pass(workerId, block);
        }
        output.line(workerId, line);
    }

    private void add(Block block, String line, String text) {
        if (block.refusal) {
            return; // dropped: the notice has said it
        }
        block.lines.add(line);
        block.reason.add(text);
    }

    private void refuse(Block block) {
        block.refusal = true;
        if (refused.compareAndSet(false, true)) {
            // The warnings before the first error say why (and their continuation lines, in detail); else the error.
            List<String> why = block.reason.subList(0, Math.max(1, block.reason.size() - 1));
            notices.accept("the JVM refused the workers' AOT cache " + cache + " (" + String.join(" ", why)
                    + "); workers start without it, more slowly" + delete());
        }
        block.lines.clear();
        block.reason.clear();
    }

    /** Passes on the lines of a block that turned out not to be a refusal. */
    private void pass(int workerId, Block block) {
        if (!block.refusal) {
            block.lines.forEach(held -> output.line(workerId, held));
        }
    }

    /** Deletes the refused cache; says what became of it. */
    private String delete() {
        try {
            Files.deleteIfExists(cache);
            return "; it is deleted, and the next pool makes a new one";
        } catch (IOException e) {
            return "; delete it to have a new one made (" + e.getMessage() + ")";
        }
    }
}
