package dev.cxr.model.image.dicom;

import dev.cxr.model.image.RgbImage;

/**
 * PALETTE COLOR: each stored value indexes the red, green and blue tables,
 * {@code LUT[clamp(v - first, 0, n - 1)]}, and an entry of more than 8 bits keeps its top 8
 * ({@code >> 8} for the usual 16-bit entries). Segmented palettes are refused.
 */
final class PaletteDisplay implements Display {
    private final Lut[] channels;

    private PaletteDisplay(Lut[] channels) {
        this.channels = channels;
    }

    static PaletteDisplay of(DataSet ds, PixelModule pm) {
        if (ds.has(Tags.SEGMENTED_RED_PALETTE_DATA)) {
            throw new Refusal("unsupported DICOM PALETTE COLOR image: a segmented palette");
        }
        int[][] tags = {
            {Tags.RED_PALETTE_DESCRIPTOR, Tags.RED_PALETTE_DATA},
            {Tags.GREEN_PALETTE_DESCRIPTOR, Tags.GREEN_PALETTE_DATA},
            {Tags.BLUE_PALETTE_DESCRIPTOR, Tags.BLUE_PALETTE_DATA},
        };
        Lut[] luts = new Lut[3];
        for (int c = 0; c < 3; c++) {
            luts[c] = Lut.read(ds, tags[c][0], tags[c][1], pm.signed());
        }
        return new PaletteDisplay(luts);
    }

    @Override
    public RgbImage render(int width, int height, int[] stored) {
        byte[] px = new byte[Math.multiplyExact(stored.length, 3)];
        for (int i = 0; i < stored.length; i++) {
            for (int c = 0; c < 3; c++) {
                Lut lut = channels[c];
                int entry = lut.lookup(stored[i]);
                px[3 * i + c] = (byte) (lut.bits() > 8 ? entry >> (lut.bits() - 8) : entry);
            }
        }
        return new RgbImage(width, height, px);
    }
}
