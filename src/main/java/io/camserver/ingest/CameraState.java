package io.camserver.ingest;

import java.util.Locale;

/** Where a camera's puller stands. */
public enum CameraState {
    CONNECTING, STREAMING, OFFLINE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
