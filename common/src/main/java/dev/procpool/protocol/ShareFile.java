package dev.procpool.protocol;

/**
 * Coordinator to worker: a large shared primitive array, written by the coordinator to a file that the worker maps
 * read-only (a local worker; the bytes never pass through the pipe). Sent once per worker, before the first definition
 * that holds it.
 *
 * @param id the value's id
 * @param path the file, in the native byte order
 * @param element the array's element type
 * @param length the array's length, in elements
 */
public record ShareFile(long id, String path, SharedValue.Element element, long length) implements Message {
}
