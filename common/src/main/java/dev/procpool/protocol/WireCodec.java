package dev.procpool.protocol;

import com.esotericsoftware.kryo.Kryo;

/**
 * One {@link Kryo} kept in step with a {@link WireFormat}'s table: each time it is taken, it first registers the
 * classes added since. Not thread-safe, like the Kryo: one owner at a time.
 */
public final class WireCodec {

    private final WireFormat format;
    private Kryo kryo;
    /** How many of the format's added classes the Kryo has registered. */
    private int known;

    public WireCodec(WireFormat format) {
        this.format = format;
        this.kryo = format.newKryo();
    }

    /** The Kryo, with every class the format holds now. */
    public Kryo kryo() {
        if (format.addedCount() != known) {
            known = format.catchUp(kryo, known);
        }
        return kryo;
    }

    /** Replaces the Kryo with a fresh one: after any exception inside Kryo, whose instance keeps state behind. */
    public void discard() {
        kryo = format.newKryo();
        known = 0;
    }

    public WireFormat format() {
        return format;
    }
}
