package io.camserver.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The live frame a "which face?" question was asked about, kept for a few minutes: the faces are
 * shown to the user as pictures cut from it, and the answer enrolls from that same frame (the
 * camera's latest may hold other faces, or the same ones in another order, by then). At most
 * {@link #MAX} frames, the oldest going first; each under an unguessable token. In memory of the
 * replica that asked: in scale-out, the answer must reach the same replica within the minutes.
 */
final class PendingFrames {
    static final Duration TTL = Duration.ofMinutes(5);
    static final int MAX = 32;

    private record Pending(byte[] jpeg, List<int[]> boxes, long expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> frames = new LinkedHashMap<>();

    /** Keeps a frame and the faces found in it; returns its token. */
    synchronized String keep(byte[] jpeg, List<int[]> boxes) {
        expire();
        while (frames.size() >= MAX) {
            frames.remove(frames.keySet().iterator().next());
        }
        byte[] t = new byte[16];
        random.nextBytes(t);
        String token = HexFormat.of().formatHex(t);
        frames.put(token, new Pending(jpeg, List.copyOf(boxes), System.currentTimeMillis() + TTL.toMillis()));
        return token;
    }

    /** The frame under {@code token}, while it is kept. */
    synchronized Optional<byte[]> frame(String token) {
        expire();
        return Optional.ofNullable(frames.get(token)).map(Pending::jpeg);
    }

    /** Face {@code index} of the frame under {@code token}, cut out with some margin, as JPEG. */
    Optional<byte[]> face(String token, int index) throws IOException {
        Pending p;
        synchronized (this) {
            expire();
            p = frames.get(token);
        }
        if (p == null || index < 0 || index >= p.boxes().size()) {
            return Optional.empty();
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.jpeg()));
        if (img == null) {
            return Optional.empty();
        }
        int[] b = p.boxes().get(index);
        int m = Math.round(Math.max(b[2], b[3]) * 0.25f);
        int x0 = Math.max(0, b[0] - m);
        int y0 = Math.max(0, b[1] - m);
        int x1 = Math.min(img.getWidth(), b[0] + b[2] + m);
        int y1 = Math.min(img.getHeight(), b[1] + b[3] + m);
        if (x1 <= x0 || y1 <= y0) {
            return Optional.empty();
        }
        BufferedImage crop = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
        crop.getGraphics().drawImage(img.getSubimage(x0, y0, x1 - x0, y1 - y0), 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(crop, "jpg", out);
        return Optional.of(out.toByteArray());
    }

    private void expire() {
        long now = System.currentTimeMillis();
        frames.values().removeIf(p -> p.expires() < now);
    }
}
