package io.camserver.vision.opencv;

import org.opencv.core.Core;

/** Loads OpenCV's bundled native library exactly once per process. */
public final class OpenCvRuntime {
    private static volatile boolean loaded;

    private OpenCvRuntime() {
    }

    public static synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            // Picks the natives for this OS/arch (x86_64, ARMv7, ARMv8) out of the openpnp jar.
            nu.pattern.OpenCV.loadLocally();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot load OpenCV's native library for " + System.getProperty("os.name")
                    + "/" + System.getProperty("os.arch") + ": " + t.getMessage(), t);
        }
        loaded = true;
    }

    /** OpenCV's own thread pool size for DNN and imgproc; 1 when workers parallelise instead. */
    public static void setThreads(int n) {
        load();
        Core.setNumThreads(n);
    }

    public static String version() {
        load();
        return Core.VERSION;
    }
}
