package dev.procpool.worker;

import dev.procpool.job.Job;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.JobDefinition;
import dev.procpool.protocol.JobEncoder;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.Protocol;
import dev.procpool.protocol.TypeDefinitions;
import dev.procpool.protocol.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a coordinator sends a worker, for worker tests: its table of classes, each job's definition under a key, and
 * frames of any messages. Not thread-safe.
 */
final class CoordinatorSide {

    private final WireFormat format = WireFormat.forCoordinator();
    private final JobEncoder encoder = new JobEncoder(format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    private int typesSent;

    WireFormat format() {
        return format;
    }

    /** The messages that define {@code job} under {@code key}: the classes it adds, then its definition. */
    List<Message> define(long key, Job<?, ?> job) {
        return define(key, job, job.getClass().getName());
    }

    /** As {@link #define(long, Job)}, naming another class in the definition (for messages). */
    List<Message> define(long key, Job<?, ?> job, String className) {
        JobEncoder.Encoded encoded = encoder.encode(job);
        List<Message> messages = new ArrayList<>();
        if (format.addedCount() > typesSent) {
            messages.add(new TypeDefinitions(WireFormat.FIRST_ADDED_ID + typesSent, format.addedFrom(typesSent)));
            typesSent = format.addedCount();
        }
        messages.add(new JobDefinition(key, job.name(), className, encoded.typeIds(), encoded.value()));
        return messages;
    }

    /** The channel bytes of these messages, as the coordinator's writer makes them. */
    byte[] frames(List<Message> messages) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(bytes, format, Protocol.DEFAULT_MAX_FRAME_BYTES);
        for (Message message : messages) {
            writer.write(message);
        }
        writer.flush();
        return bytes.toByteArray();
    }

    /** A reader of what a worker wrote, as the coordinator reads it. */
    FrameReader reader(byte[] output) {
        return new FrameReader(new ByteArrayInputStream(output), format, Protocol.DEFAULT_MAX_FRAME_BYTES);
    }
}
