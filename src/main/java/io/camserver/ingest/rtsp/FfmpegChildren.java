package io.camserver.ingest.rtsp;

import io.camserver.ingest.stream.StreamException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The FFmpeg children one server runs to read its RTSP cameras. Each camera's source ends its own
 * child; this owner counts them and ends any still alive when the server closes, so none outlives it.
 */
public final class FfmpegChildren implements AutoCloseable {
    private final Set<Process> alive = ConcurrentHashMap.newKeySet();
    private final int max;

    /** @param max the most children at once: the cameras the server may have, and a few camera tests */
    public FfmpegChildren(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("FFmpeg children must be allowed at least 1 (was " + max + ")");
        }
        this.max = max;
    }

    /** Refuses one more child when {@code max} run already (a flood of RTSP cameras or tests cannot fork without end). */
    void admit() throws StreamException {
        if (alive() >= max) {
            throw new StreamException("too many FFmpeg children (" + max + " running): not starting another");
        }
    }

    void started(Process p) {
        alive.add(p);
    }

    void ended(Process p) {
        alive.remove(p);
    }

    /** Children running now. */
    public int alive() {
        alive.removeIf(p -> !p.isAlive());
        return alive.size();
    }

    @Override
    public void close() {
        alive.forEach(Process::destroyForcibly);
        alive.clear();
    }
}
