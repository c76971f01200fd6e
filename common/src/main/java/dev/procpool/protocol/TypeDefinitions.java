package dev.procpool.protocol;

import java.util.List;

/**
 * Coordinator to worker: the classes its table has added since it last said (see {@link WireFormat}), in id order from
 * {@code firstId}. Sent before anything that holds one of them; the worker loads each by name and registers it under
 * the same id.
 *
 * @param firstId the id of the first class
 * @param types the classes, with their kinds and shapes; {@code WireType.type()} and {@code problem()} do not travel
 */
public record TypeDefinitions(int firstId, List<WireType> types) implements Message {

    public TypeDefinitions {
        types = List.copyOf(types);
    }
}
