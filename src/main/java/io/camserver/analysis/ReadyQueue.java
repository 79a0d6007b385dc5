package io.camserver.analysis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Cameras with a frame waiting for a worker, each at most once (its {@code scheduled} flag), so
 * the queue is bounded by the number of cameras. Under overload, cameras whose last analysed
 * frame held faces go first (a person walking in is named before an empty corridor is checked
 * again), but never for more than {@link #FACES_IN_A_ROW} turns while an empty camera waits, so
 * every camera keeps a share. Within each kind, first come first served: equal cameras share
 * equally.
 */
final class ReadyQueue<T> {
    /** Turns a camera with faces may take while one without waits. */
    static final int FACES_IN_A_ROW = 3;

    private final Deque<T> faces = new ArrayDeque<>();
    private final Deque<T> empty = new ArrayDeque<>();
    private final java.util.function.Predicate<T> hadFaces;
    private int facesInARow;

    /** @param hadFaces whether a camera's last analysed frame held faces */
    ReadyQueue(java.util.function.Predicate<T> hadFaces) {
        this.hadFaces = hadFaces;
    }

    synchronized void offer(T camera) {
        (hadFaces.test(camera) ? faces : empty).addLast(camera);
        notifyAll();
    }

    /** The next camera to analyse, or null when none came within the timeout. */
    synchronized T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (faces.isEmpty() && empty.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (!faces.isEmpty() && (empty.isEmpty() || facesInARow < FACES_IN_A_ROW)) {
            facesInARow++;
            return faces.pollFirst();
        }
        facesInARow = 0;
        return empty.pollFirst();
    }

    synchronized int size() {
        return faces.size() + empty.size();
    }
}
