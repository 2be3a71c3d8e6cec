package dev.cxr.model.image.dicom;

import dev.cxr.model.image.RgbImage;

/**
 * The grayscale display pipeline, each pixel in double precision: the Modality transform (a Modality
 * LUT Sequence, else {@code m = stored * slope + intercept}); then the VOI transform, the first the
 * file has of a VOI LUT Sequence (item 1), a Window Center / Width pair (the first; the VOI LUT
 * Function's formula, LINEAR by default) and else the min-max of this image's m; MONOCHROME1 (or a
 * Presentation LUT Shape INVERSE) inverted; floor to 0..255; gray replicated to R, G, B.
 *
 * <p>The formulas are PS3.3 C.11.1 and C.11.2.1.2-3, in the order the test set's references
 * ({@code ../shared/datasets/dicom/README.md}, rule 4) compute them.
 */
final class GrayDisplay implements Display {
    private final double slope;
    private final double intercept;
    private final Lut modalityLut;
    private final Lut voiLut;
    private final double center;
    private final double width;
    private final boolean windowed;
    private final String function;
    private final boolean inverse;

    private GrayDisplay(
            double slope,
            double intercept,
            Lut modalityLut,
            Lut voiLut,
            double[] window,
            String function,
            boolean inverse) {
        this.slope = slope;
        this.intercept = intercept;
        this.modalityLut = modalityLut;
        this.voiLut = voiLut;
        this.windowed = window != null;
        this.center = windowed ? window[0] : 0;
        this.width = windowed ? window[1] : 0;
        this.function = function;
        this.inverse = inverse;
    }

    /** The pipeline a grayscale data set asks for. */
    static GrayDisplay of(DataSet ds, PixelModule pm) {
        double[] s = ds.decimals(Tags.RESCALE_SLOPE);
        double[] b = ds.decimals(Tags.RESCALE_INTERCEPT);
        double slope = s == null || s[0] == 0 ? 1 : s[0]; // a slope of 0 would blank the image: taken as absent
        double intercept = b == null ? 0 : b[0];
        Lut modality = null;
        if (!ds.items(Tags.MODALITY_LUT_SEQUENCE).isEmpty()) {
            modality = Lut.read(
                    ds.items(Tags.MODALITY_LUT_SEQUENCE).get(0), Tags.LUT_DESCRIPTOR, Tags.LUT_DATA, pm.signed());
        }
        Lut voi = null;
        if (!ds.items(Tags.VOI_LUT_SEQUENCE).isEmpty()) {
            voi = Lut.read(ds.items(Tags.VOI_LUT_SEQUENCE).get(0), Tags.LUT_DESCRIPTOR, Tags.LUT_DATA, pm.signed());
        }
        double[] c = ds.decimals(Tags.WINDOW_CENTER);
        double[] w = ds.decimals(Tags.WINDOW_WIDTH);
        double[] window = c != null && w != null ? new double[] {c[0], w[0]} : null;
        String function = ds.text(Tags.VOI_LUT_FUNCTION);
        boolean inverse =
                pm.photometric().equals("MONOCHROME1") || "INVERSE".equals(ds.text(Tags.PRESENTATION_LUT_SHAPE));
        return new GrayDisplay(
                slope,
                intercept,
                modality,
                voi,
                window,
                function == null || function.isEmpty() ? "LINEAR" : function,
                inverse);
    }

    /** Built directly, for tests: rescale, an optional window (c, w), MONOCHROME1 or not. */
    static GrayDisplay of(double slope, double intercept, double[] window, boolean monochrome1) {
        return new GrayDisplay(slope, intercept, null, null, window, "LINEAR", monochrome1);
    }

    /** The Modality transform of one stored value. */
    double modality(int stored) {
        return modalityLut != null ? modalityLut.lookup(stored) : stored * slope + intercept;
    }

    @Override
    public RgbImage render(int w, int h, int[] stored) {
        byte[] px = new byte[Math.multiplyExact(stored.length, 3)];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (voiLut == null && !windowed) {
            for (int v : stored) {
                double m = modality(v);
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
            }
        }
        for (int i = 0; i < stored.length; i++) {
            double m = modality(stored[i]);
            int pixel;
            if (voiLut != null) {
                int out = voiLut.lookup((long) Math.floor(m));
                int top = voiLut.top();
                if (inverse) {
                    out = top - out;
                }
                pixel = (int) ((long) out * 255 / top);
            } else {
                double y = windowed ? window(m) : (hi > lo ? (m - lo) / (hi - lo) : 0.0);
                if (inverse) {
                    y = 1.0 - y;
                }
                pixel = (int) Math.floor(y * 255);
            }
            byte g = (byte) pixel;
            px[3 * i] = g;
            px[3 * i + 1] = g;
            px[3 * i + 2] = g;
        }
        return new RgbImage(w, h, px);
    }

    /** The VOI LUT Function of a modality value, in 0..1; a width too small for the formula is a threshold. */
    double window(double m) {
        switch (function) {
            case "LINEAR_EXACT":
                return width > 0 ? clamp((m - center) / width + 0.5) : (m > center ? 1.0 : 0.0);
            case "SIGMOID":
                return width > 0 ? 1.0 / (1.0 + Math.exp(-4.0 * (m - center) / width)) : (m > center ? 1.0 : 0.0);
            default: // LINEAR, PS3.3 C.11.2.1.2.1
                return width > 1 ? clamp((m - (center - 0.5)) / (width - 1) + 0.5) : (m > center - 0.5 ? 1.0 : 0.0);
        }
    }

    private static double clamp(double y) {
        return Math.max(0.0, Math.min(1.0, y));
    }
}
