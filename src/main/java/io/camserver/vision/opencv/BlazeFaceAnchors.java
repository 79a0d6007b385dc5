package io.camserver.vision.opencv;

/**
 * SSD anchor centres for BlazeFace, generated the way MediaPipe's SsdAnchorsCalculator does for
 * {@code fixed_anchor_size: true}: every anchor is 1x1 (so only centres matter), layers that
 * share a stride share one grid, and each layer contributes one anchor per cell plus one more
 * when {@code interpolated_scale_aspect_ratio} is set.
 */
final class BlazeFaceAnchors {
    private BlazeFaceAnchors() {
    }

    /**
     * @param inputSize     square network input side in pixels
     * @param strides       one per layer
     * @param anchorsPerLayer anchors each layer adds per grid cell
     * @return interleaved normalised centres {@code [x0, y0, x1, y1, ...]} in model output order
     */
    static float[] generate(int inputSize, int[] strides, int anchorsPerLayer) {
        java.util.List<float[]> layers = new java.util.ArrayList<>();
        int total = 0;
        for (int layer = 0; layer < strides.length; ) {
            // consecutive layers with one stride share a grid; each adds its anchors per cell
            int next = layer;
            int perCell = 0;
            while (next < strides.length && strides[next] == strides[layer]) {
                perCell += anchorsPerLayer;
                next++;
            }
            int grid = (int) Math.ceil((double) inputSize / strides[layer]);
            float[] centres = new float[grid * grid * perCell * 2];
            int k = 0;
            for (int y = 0; y < grid; y++) {
                for (int x = 0; x < grid; x++) {
                    for (int a = 0; a < perCell; a++) {
                        centres[k++] = (x + 0.5f) / grid;
                        centres[k++] = (y + 0.5f) / grid;
                    }
                }
            }
            layers.add(centres);
            total += centres.length;
            layer = next;
        }
        float[] all = new float[total];
        int off = 0;
        for (float[] c : layers) {
            System.arraycopy(c, 0, all, off, c.length);
            off += c.length;
        }
        return all;
    }

    /** 128x128 short-range model: strides 8,16,16,16, two anchors per layer: 896 anchors. */
    static float[] shortRange() {
        return generate(128, new int[] {8, 16, 16, 16}, 2);
    }

    /** 192x192 full-range model: one stride-4 layer, one anchor per cell: 2304 anchors. */
    static float[] fullRange() {
        return generate(192, new int[] {4}, 1);
    }
}
