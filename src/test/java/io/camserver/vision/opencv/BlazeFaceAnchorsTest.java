package io.camserver.vision.opencv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlazeFaceAnchorsTest {
    @Test
    void shortRangeHas896AnchorsInMediaPipeOrder() {
        float[] a = BlazeFaceAnchors.shortRange();
        assertEquals(896 * 2, a.length);
        // stride 8 grid 16x16, 2 anchors per cell: anchors 0 and 1 share the first cell centre
        assertEquals(0.5f / 16, a[0], 1e-6);
        assertEquals(0.5f / 16, a[1], 1e-6);
        assertEquals(a[0], a[2], 1e-6);
        assertEquals(1.5f / 16, a[4], 1e-6);
        // the stride-16 layers (3 layers x 2 anchors = 6 per cell) start at anchor 512
        assertEquals(0.5f / 8, a[512 * 2], 1e-6);
        assertEquals(0.5f / 8, a[517 * 2], 1e-6);
        assertEquals(1.5f / 8, a[518 * 2], 1e-6);
        // last anchor: bottom-right cell of the 8x8 grid
        assertEquals(7.5f / 8, a[895 * 2], 1e-6);
        assertEquals(7.5f / 8, a[895 * 2 + 1], 1e-6);
    }

    @Test
    void fullRangeHas2304AnchorsOnOneGrid() {
        float[] a = BlazeFaceAnchors.fullRange();
        assertEquals(2304 * 2, a.length);
        assertEquals(0.5f / 48, a[0], 1e-6);
        // row-major: anchor 48 is the first cell of the second row
        assertEquals(0.5f / 48, a[48 * 2], 1e-6);
        assertEquals(1.5f / 48, a[48 * 2 + 1], 1e-6);
        assertEquals(47.5f / 48, a[2303 * 2], 1e-6);
    }
}
