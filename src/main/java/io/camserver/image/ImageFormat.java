package io.camserver.image;

import java.util.Optional;

/** Formats camserver accepts, recognised by their leading bytes, never by file name. */
public enum ImageFormat {
    JPEG("image/jpeg"), PNG("image/png"), BMP("image/bmp"), WEBP("image/webp");

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Whether the bytes start as a JPEG does (SOI then a marker), whatever they were labelled. */
    public static boolean isJpeg(byte[] d) {
        return d.length >= 3 && (d[0] & 0xff) == 0xFF && (d[1] & 0xff) == 0xD8 && (d[2] & 0xff) == 0xFF;
    }

    public static Optional<ImageFormat> sniff(byte[] d) {
        if (isJpeg(d)) {
            return Optional.of(JPEG);
        }
        if (d.length >= 8 && (d[0] & 0xff) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G'
                && d[4] == 0x0D && d[5] == 0x0A && d[6] == 0x1A && d[7] == 0x0A) {
            return Optional.of(PNG);
        }
        if (d.length >= 26 && d[0] == 'B' && d[1] == 'M') {
            return Optional.of(BMP);
        }
        if (d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F'
                && d[8] == 'W' && d[9] == 'E' && d[10] == 'B' && d[11] == 'P') {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }
}
