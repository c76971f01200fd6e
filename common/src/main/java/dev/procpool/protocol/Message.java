package dev.procpool.protocol;

/** A message carried in one frame after the handshake. Implementations are immutable records. */
public sealed interface Message permits TaskBatch, ResultBatch, TaskFailure, Shutdown, Heartbeat, TypeDefinitions,
        JobDefinition, Forget, ShareValue, ShareFile, Unshare {
}
