package dev.procpool.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a worker process, the one place they are spelled: the coordinator writes them with
 * {@link #toList()}, the worker reads them with {@link #parse}. Immutable.
 *
 * @param mode what the process does
 * @param maxFrameBytes the largest frame it accepts or sends, when it serves tasks
 * @param privateDescriptors whether its protocol arrives on descriptors 3 (in) and 4 (out), moved there by the command
 *     that started it, with descriptor 0 on {@code /dev/null} and 1 on stderr: then nothing the worker's tasks, its
 *     native code or its children do with stdin and stdout reaches the protocol
 */
public record WorkerArguments(Mode mode, int maxFrameBytes, int batchFrameBytes, boolean privateDescriptors) {

    /** What a worker process does. */
    public enum Mode {
        /** Speaks the procpool protocol on stdin and stdout: a pool's worker. */
        SERVE("--serve"),
        /** The start-up cache's training run: everything a worker does to its first answer, then exits. */
        TRAIN("--train"),
        /** The benchmark's yardstick for the pipe: echoes 8-byte messages, nothing of procpool in the way. */
        ECHO("--echo"),
        /** The benchmark's yardstick for start-up: writes one byte and exits. */
        BARE("--bare");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        /** The argument that selects this mode. */
        public String flag() {
            return flag;
        }
    }

    private static final String MAX_FRAME_BYTES = "--max-frame-bytes=";
    private static final String BATCH_FRAME_BYTES = "--batch-frame-bytes=";
    /** The argument a launcher adds when it moved the protocol to descriptors 3 and 4. */
    public static final String PRIVATE_DESCRIPTORS = "--protocol-fds=3,4";
    /**
     * The descriptor the protocol arrives on when the worker starts, with {@link #PRIVATE_DESCRIPTORS} (the worker then
     * opens it anew under another number, close-on-exec, and closes this one).
     */
    public static final int PROTOCOL_IN = 3;
    /** The descriptor the protocol leaves on when the worker starts, with {@link #PRIVATE_DESCRIPTORS} (likewise). */
    public static final int PROTOCOL_OUT = 4;

    public WorkerArguments {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null");
        }
        Protocol.checkMaxFrameBytes(maxFrameBytes);
        BatchBudget.checkFrameBytes(batchFrameBytes);
    }

    /** The same arguments, with the protocol on descriptors 3 and 4 (see {@link #privateDescriptors}). */
    public WorkerArguments onPrivateDescriptors() {
        return new WorkerArguments(mode, maxFrameBytes, batchFrameBytes, true);
    }

    /**
     * The same arguments for a worker behind a link: its batches of answers kept within frames of {@code frameBytes}
     * (see {@link BatchBudget}; 0 for no budget).
     */
    public WorkerArguments behind(int frameBytes) {
        return new WorkerArguments(mode, maxFrameBytes, frameBytes, privateDescriptors);
    }

    /** A pool's worker with this frame limit. */
    public static WorkerArguments serve(int maxFrameBytes) {
        return new WorkerArguments(Mode.SERVE, maxFrameBytes, 0, false);
    }

    /** The training run. */
    public static WorkerArguments train() {
        return new WorkerArguments(Mode.TRAIN, Protocol.DEFAULT_MAX_FRAME_BYTES, 0, false);
    }

    /** The pipe yardstick. */
    public static WorkerArguments echo() {
        return new WorkerArguments(Mode.ECHO, Protocol.DEFAULT_MAX_FRAME_BYTES, 0, false);
    }

    /** The start-up yardstick. */
    public static WorkerArguments bare() {
        return new WorkerArguments(Mode.BARE, Protocol.DEFAULT_MAX_FRAME_BYTES, 0, false);
    }

    /** The arguments as the command line carries them. */
    public List<String> toList() {
        if (mode != Mode.SERVE) {
            return privateDescriptors ? List.of(mode.flag, PRIVATE_DESCRIPTORS) : List.of(mode.flag);
        }
        List<String> arguments = new ArrayList<>(List.of(mode.flag, MAX_FRAME_BYTES + maxFrameBytes));
        if (batchFrameBytes > 0) {
            arguments.add(BATCH_FRAME_BYTES + batchFrameBytes);
        }
        if (privateDescriptors) {
            arguments.add(PRIVATE_DESCRIPTORS);
        }
        return arguments;
    }

    /**
     * Reads a worker's command line. No arguments at all mean a worker with the default frame limit.
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static WorkerArguments parse(String[] args) {
        Mode mode = null;
        int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
        int batchFrameBytes = 0;
        boolean privateDescriptors = false;
        boolean servingOnly = false;
        for (String arg : args) {
            if (arg.startsWith(MAX_FRAME_BYTES)) {
                maxFrameBytes = wholeNumber(MAX_FRAME_BYTES, arg);
                Protocol.checkMaxFrameBytes(maxFrameBytes);
                servingOnly = true;
                continue;
            }
            if (arg.startsWith(BATCH_FRAME_BYTES)) {
                batchFrameBytes = wholeNumber(BATCH_FRAME_BYTES, arg);
                BatchBudget.checkFrameBytes(batchFrameBytes);
                servingOnly = true;
                continue;
            }
            if (arg.equals(PRIVATE_DESCRIPTORS)) {
                privateDescriptors = true; // a serving or echoing worker's channel, wherever a launcher puts it
                continue;
            }
            Mode named = modeOf(arg);
            if (named == null) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'; the worker is started by the "
                        + "procpool coordinator, not by hand");
            }
            if (mode != null) {
                throw new IllegalArgumentException("two modes given: " + mode.flag + " and " + named.flag);
            }
            mode = named;
        }
        if (mode == null) {
            mode = Mode.SERVE;
        }
        if (servingOnly && mode != Mode.SERVE) {
            throw new IllegalArgumentException(MAX_FRAME_BYTES + " and " + BATCH_FRAME_BYTES
                    + " apply to a serving worker only, not " + mode.flag);
        }
        if (privateDescriptors && mode != Mode.SERVE && mode != Mode.ECHO) {
            throw new IllegalArgumentException(PRIVATE_DESCRIPTORS + " applies to a serving or echoing worker only, "
                    + "not " + mode.flag);
        }
        return new WorkerArguments(mode, maxFrameBytes, batchFrameBytes, privateDescriptors);
    }

    private static int wholeNumber(String flag, String arg) {
        String value = arg.substring(flag.length());
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag.substring(0, flag.length() - 1) + " needs a whole number, got '"
                    + value + "'");
        }
    }

    /** The mode a flag selects; null if none. A loop, not a map or a stream: it runs on every worker's start path. */
    private static Mode modeOf(String arg) {
        for (Mode mode : Mode.values()) {
            if (mode.flag.equals(arg)) {
                return mode;
            }
        }
        return null;
    }
}
