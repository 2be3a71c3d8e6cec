package dev.cxr.model.explain;

/**
 * The inferno colormap (van der Walt and Smith, matplotlib 1.5, 2015): perceptually uniform, its
 * lightness rising steadily from black through purple and red to pale yellow, so that brighter
 * always means more and it reads in grey and to colour-blind eyes. Computed here from its 11
 * published samples at 0, 0.1, ..., 1 (as R's {@code viridisLite::inferno(11)} and d3's
 * {@code schemeInferno} list them), interpolated linearly in sRGB between neighbours; at that
 * spacing the interpolation stays within a few levels of the 256-entry table.
 */
public final class Inferno {
    /** inferno(t) for t = 0, 0.1, ..., 1, as 0xRRGGBB. */
    static final int[] STOPS = {
        0x000004, 0x160b39, 0x420a68, 0x6a176e, 0x932667, 0xbc3754, 0xdd513a, 0xf37819, 0xfca50a, 0xf6d746, 0xfcffa4,
    };

    private Inferno() {}

    /** The colour at {@code t} in [0, 1] (clamped; NaN counts as 0), as 0xRRGGBB. */
    public static int rgb(double t) {
        double x = t > 0 ? Math.min(t, 1.0) * (STOPS.length - 1) : 0;
        int i = Math.min((int) x, STOPS.length - 2);
        double f = x - i;
        int lo = STOPS[i];
        int hi = STOPS[i + 1];
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (lo >> shift) & 0xff;
            int b = (hi >> shift) & 0xff;
            rgb |= (int) Math.round(a + (b - a) * f) << shift;
        }
        return rgb;
    }
}
