package io.camserver.vision;

/** An axis-aligned box in source-image pixels; (x, y) is the top-left corner. */
public record Box(float x, float y, float w, float h) {
    public Box {
        if (!(w >= 0) || !(h >= 0)) {
            throw new IllegalArgumentException("box size must be >= 0 (was " + w + "x" + h + ")");
        }
    }

    public float cx() {
        return x + w / 2;
    }

    public float cy() {
        return y + h / 2;
    }

    public float area() {
        return w * h;
    }

    public boolean contains(float px, float py) {
        return px >= x && px <= x + w && py >= y && py <= y + h;
    }

    public float iou(Box o) {
        float ix = Math.max(0, Math.min(x + w, o.x + o.w) - Math.max(x, o.x));
        float iy = Math.max(0, Math.min(y + h, o.y + o.h) - Math.max(y, o.y));
        float inter = ix * iy;
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** This box in a picture {@code k} times the size (0.5: the half-size decode). */
    public Box scaled(float k) {
        return new Box(x * k, y * k, w * k, h * k);
    }

    /** The part of this box inside a width x height image. */
    public Box clip(int width, int height) {
        float x0 = Math.max(0, x);
        float y0 = Math.max(0, y);
        float x1 = Math.min(width, x + w);
        float y1 = Math.min(height, y + h);
        return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }
}
