package dev.cxr.engine.backend.cpu.fast;

/**
 * Reusable float buffers, one set per worker (and one shared set per backend), so that no op
 * allocates its work space on every call: a buffer grows to the largest size asked for and stays.
 */
final class Scratch {
    // Slots: one per kind of buffer, so that buffers used at the same time never alias.
    static final int PACK_A = 0;
    static final int PACK_B = 1;
    static final int ACC = 2;
    static final int WINO_TILES = 3;
    static final int WINO_TMP = 4;
    static final int SHARED_V = 5;
    static final int SHARED_M = 6;
    static final int SHARED_WEIGHTS = 7;
    static final int WINO_V = 8;
    static final int WINO_M = 9;
    private static final int SLOTS = 10;

    private final float[][] floats = new float[SLOTS][];
    private final int[][] ints = new int[SLOTS][];

    /** A buffer of at least {@code size} floats; its contents are whatever the last user left. */
    float[] floats(int slot, int size) {
        float[] f = floats[slot];
        if (f == null || f.length < size) {
            f = new float[size];
            floats[slot] = f;
        }
        return f;
    }

    /** A buffer of at least {@code size} ints; its contents are whatever the last user left. */
    int[] ints(int slot, int size) {
        int[] f = ints[slot];
        if (f == null || f.length < size) {
            f = new int[size];
            ints[slot] = f;
        }
        return f;
    }

    /** Drops every buffer (the backend is closed, or the caller wants the memory back). */
    void clear() {
        java.util.Arrays.fill(floats, null);
        java.util.Arrays.fill(ints, null);
    }
}
