package io.camserver.output;

import io.camserver.image.MatScope;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Lays camera tiles out in a near-square grid (the demo's /video_feed showed every camera
 * side by side). One camera fills the picture; more share it.
 *
 * <p>The grid is kept between frames and a cell is redrawn only when its camera's picture or
 * caption changed: with most scenes still, most cells stay as they are, and a tile's picture is
 * copied out of its camera only when it is new. One owner (the composer's thread); the canvas is
 * released by {@link #close}.
 */
public final class Mosaic implements AutoCloseable {
    private static final Scalar BACKGROUND = new Scalar(24, 24, 24);

    /**
     * A camera's place in the mosaic. {@code version} changes whenever its picture does;
     * {@code picture} gives a copy of it (the caller releases it) or null when there is none yet,
     * and is asked only when the version moved.
     */
    public record Tile(String id, String caption, long version, Supplier<Mat> picture) {
        public Tile {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(caption, "caption");
            Objects.requireNonNull(picture, "picture");
        }
    }

    private final int tileWidth;
    private final int tileHeight;
    private Mat canvas;
    private Tile[] drawn = new Tile[0];

    public Mosaic(int tileWidth, int tileHeight) {
        this.tileWidth = tileWidth;
        this.tileHeight = tileHeight;
    }

    /** Brings the grid up to date with {@code tiles}; returns how many cells were redrawn (0: the picture is unchanged). */
    public int update(List<Tile> tiles) {
        int n = Math.max(1, tiles.size());
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (int) Math.ceil((double) n / cols);
        // Cells are half a tile wide, and narrower past 4 columns: the grid stays at most two
        // tiles wide (1280 px by default), since every viewer pulls it at output.mosaicFps and
        // the JPEG encode grows with its area (1920x1440 took ~50 ms a frame here, 1280x960 ~20).
        int tw = n == 1 ? tileWidth : Math.min(tileWidth / 2, 2 * tileWidth / cols);
        int th = n == 1 ? tileHeight : tw * tileHeight / tileWidth;
        if (canvas == null || canvas.cols() != cols * tw || canvas.rows() != rows * th || drawn.length != tiles.size()) {
            if (canvas != null) {
                canvas.release();
            }
            canvas = new Mat(rows * th, cols * tw, CvType.CV_8UC3, BACKGROUND);
            drawn = new Tile[tiles.size()];
            if (tiles.isEmpty()) {
                Annotator.caption(canvas, "no cameras yet: waiting for registrations");
                return 1;
            }
        }
        int redrawn = 0;
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            Tile before = drawn[i];
            if (before != null && before.id().equals(t.id()) && before.version() == t.version() && before.caption().equals(t.caption())) {
                continue;
            }
            draw(t, new Rect((i % cols) * tw, (i / cols) * th, tw, th));
            drawn[i] = t;
            redrawn++;
        }
        return redrawn;
    }

    private void draw(Tile t, Rect cell) {
        try (MatScope s = new MatScope()) {
            Mat dst = s.add(canvas.submat(cell));
            Mat picture = t.picture().get();
            if (picture != null) {
                s.add(picture);
            }
            if (picture != null && !picture.empty()) {
                Imgproc.resize(picture, dst, new Size(cell.width, cell.height), 0, 0, Imgproc.INTER_AREA);
            } else {
                dst.setTo(BACKGROUND);
            }
            // A dark strip keeps the caption readable on bright pictures.
            Mat strip = s.add(dst.submat(new Rect(0, 0, cell.width, Math.min(cell.height, 24))));
            Core.addWeighted(strip, 0.35, strip, 0, 0, strip);
            Imgproc.putText(dst, t.caption(), new org.opencv.core.Point(6, 17), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5,
                    new Scalar(255, 255, 255), 1, Imgproc.LINE_AA);
        }
    }

    /** The current grid (owned by this mosaic: do not release). */
    public Mat canvas() {
        return canvas;
    }

    @Override
    public void close() {
        if (canvas != null) {
            canvas.release();
            canvas = null;
        }
    }
}
