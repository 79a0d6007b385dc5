package io.camserver.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.camserver.vision.opencv.OpenCvRuntime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** The mosaic redraws only the cells whose camera changed, and copies a picture out only then. */
class MosaicTest {
    @BeforeAll
    static void opencv() {
        OpenCvRuntime.load();
    }

    /** A camera whose picture is one flat colour; counts how often its picture is taken. */
    private static final class Cam {
        final String id;
        final AtomicInteger copies = new AtomicInteger();
        volatile double grey;
        volatile long version;

        Cam(String id, double grey) {
            this.id = id;
            this.grey = grey;
        }

        Mosaic.Tile tile() {
            return new Mosaic.Tile(id, id, version, () -> {
                copies.incrementAndGet();
                return new Mat(480, 640, CvType.CV_8UC3, new Scalar(grey, grey, grey));
            });
        }
    }

    private static double[] centre(Mat canvas, int cellX, int cellY) {
        return canvas.get(cellY * 240 + 120, cellX * 320 + 160);
    }

    @Test
    void onlyChangedCellsAreRedrawn() {
        Cam a = new Cam("a", 50);
        Cam b = new Cam("b", 100);
        Cam c = new Cam("c", 150);
        try (Mosaic m = new Mosaic(640, 480)) {
            assertEquals(3, m.update(List.of(a.tile(), b.tile(), c.tile())));
            assertEquals(640, m.canvas().cols(), "3 cameras: a 2x2 grid of half-size cells");
            assertEquals(480, m.canvas().rows());
            assertArrayEquals(new double[] {100, 100, 100}, centre(m.canvas(), 1, 0));

            assertEquals(0, m.update(List.of(a.tile(), b.tile(), c.tile())), "nothing changed");
            assertEquals(3, a.copies.get() + b.copies.get() + c.copies.get(), "no picture copied for an unchanged tile");

            b.grey = 200;
            b.version++;
            assertEquals(1, m.update(List.of(a.tile(), b.tile(), c.tile())));
            assertArrayEquals(new double[] {200, 200, 200}, centre(m.canvas(), 1, 0));
            assertArrayEquals(new double[] {50, 50, 50}, centre(m.canvas(), 0, 0));
            assertEquals(1, a.copies.get());
            assertEquals(2, b.copies.get());

            // A camera leaves: the grid is laid out again and every cell drawn.
            assertEquals(2, m.update(List.of(a.tile(), c.tile())));
            assertArrayEquals(new double[] {150, 150, 150}, centre(m.canvas(), 1, 0));
            // One fills the picture.
            assertEquals(1, m.update(List.of(c.tile())));
            assertEquals(640, m.canvas().cols());
            assertNotEquals(0, c.copies.get());
        }
    }

    @Test
    void manyCamerasShareAGridAtMostTwoTilesWide() {
        java.util.List<Mosaic.Tile> tiles = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            tiles.add(new Cam("c" + i, i * 7).tile());
        }
        try (Mosaic m = new Mosaic(640, 480)) {
            assertEquals(32, m.update(tiles));
            assertEquals(1278, m.canvas().cols(), "6 columns of 213 px");
            assertEquals(6 * 159, m.canvas().rows());
        }
    }

    @Test
    void aCameraWithoutAPictureYetIsAnEmptyCaptionedCell() {
        try (Mosaic m = new Mosaic(640, 480)) {
            assertEquals(2, m.update(List.of(new Mosaic.Tile("x", "x", 0, () -> null), new Mosaic.Tile("y", "y", 0, () -> null))));
            assertArrayEquals(new double[] {24, 24, 24}, centre(m.canvas(), 0, 0));
            assertEquals(1, m.update(List.of()), "no cameras: one message");
        }
    }
}
