package dev.cxr.model.image.dicom;

import dev.cxr.model.image.RgbImage;

/** How stored values become the 8-bit picture a viewer shows. */
interface Display {
    /** @param stored the stored values, row-major; colour ones interleaved as R, G, B */
    RgbImage render(int width, int height, int[] stored);

    /** Colour images: the stored values as they are. */
    Display RGB = (width, height, stored) -> {
        byte[] px = new byte[stored.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, stored[i]));
        }
        return new RgbImage(width, height, px);
    };
}
