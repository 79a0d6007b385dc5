package io.camserver.ingest.rtsp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The FFmpeg children one server runs to read its RTSP cameras. Each camera's source ends its own
 * child; this owner counts them and ends any still alive when the server closes, so none outlives it.
 */
public final class FfmpegChildren implements AutoCloseable {
    private final Set<Process> alive = ConcurrentHashMap.newKeySet();

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
