package dev.cxr.engine.io;

import dev.cxr.engine.CxrException;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks every HDF5 file read by cxr goes through, in one place so that the weights reader and
 * the model reader cannot drift apart: the file exists and is not empty, it opens as HDF5 (a user
 * block before the superblock is allowed), it is as long as its header says (a truncated copy
 * keeps its header), and every float array in it is finite and of a sane size.
 */
public final class FileChecks {
    /**
     * The largest magnitude a weight may have. Trained VGG16 and head weights are below 10 (the
     * ImageNet file's largest is about 2.5); at 1e6 a single 3x3x512 convolution of inputs of order
     * 100 already sums to order 1e11, and a few such layers reach float32's 3.4e38. A value this
     * large is damage, not training, and would give NaN or saturated probabilities without a word.
     */
    public static final float MAX_ABS_WEIGHT = 1e6f;

    private FileChecks() {}

    /**
     * Opens an HDF5 file after checking that it is a non-empty regular file, and checks that it is
     * complete; every library failure becomes one line naming the file.
     *
     * @param expected what the file should be, for messages ("a Keras .h5 weights file")
     */
    public static HdfFile openHdf5(Path file, String expected) {
        if (!Files.exists(file)) {
            throw new CxrException(file + ": file not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new CxrException(file + ": not a regular file");
        }
        try {
            if (Files.size(file) == 0) {
                throw new CxrException(file + ": empty file (0 bytes), not " + expected);
            }
        } catch (IOException e) {
            throw new CxrException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        HdfFile h5;
        try {
            h5 = new HdfFile(file);
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("signature")) {
                throw new CxrException(file + ": not an HDF5 file (no HDF5 signature); expected " + expected, e);
            }
            throw new CxrException(file + ": damaged HDF5 file, cannot open it (" + why + ")", e);
        }
        try {
            requireComplete(file, h5);
            return h5;
        } catch (RuntimeException e) {
            h5.close();
            throw e;
        }
    }

    /**
     * A truncated download keeps its header, which still records the full size: compare. The format
     * says addresses count from the base address (the user block's size), but the HDF5 library
     * stores the end-of-file address counted from the file's first byte, user block included (h5py's
     * {@code userblock_size=512} file of 58,256 bytes records 58,256): so the address is the length.
     */
    static void requireComplete(Path file, HdfFile h5) {
        long expected;
        long actual;
        try {
            expected = h5.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
            actual = Files.size(file);
        } catch (IOException | RuntimeException e) {
            throw new CxrException(file + ": damaged HDF5 file, unreadable header (" + e.getMessage() + ")", e);
        }
        if (actual < expected) {
            throw new CxrException(file + ": truncated: " + actual + " bytes, its HDF5 header says " + expected
                    + " (an interrupted download or copy? fetch or copy it again)");
        }
    }

    /**
     * Checks that every value is finite and below {@link #MAX_ABS_WEIGHT} in magnitude.
     *
     * @param where the layer and array, for the message ("layer block1_conv1: weight block1_conv1_W_1:0")
     * @throws CxrException naming the file, {@code where}, the first bad index and its value
     */
    public static void requireSane(Path file, String where, float[] values) {
        int bad = firstInsane(values);
        if (bad >= 0) {
            float v = values[bad];
            String what = Float.isNaN(v)
                    ? "NaN"
                    : Float.isInfinite(v)
                            ? (v > 0 ? "+Inf" : "-Inf")
                            : "the value " + v + ", beyond the sane bound of " + MAX_ABS_WEIGHT;
            throw new CxrException(file + ": " + where + " holds " + what + " at index " + bad + " of " + values.length
                    + ": the file is damaged or was written by a diverged training; use an intact file");
        }
    }

    /** The index of the first value that is NaN, infinite or of magnitude {@link #MAX_ABS_WEIGHT} or more; -1 if none. */
    public static int firstInsane(float[] values) {
        for (int i = 0; i < values.length; i++) {
            // NaN fails the comparison, so !(|v| < max) catches NaN, the infinities and the huge values
            if (!(Math.abs(values[i]) < MAX_ABS_WEIGHT)) {
                return i;
            }
        }
        return -1;
    }
}
