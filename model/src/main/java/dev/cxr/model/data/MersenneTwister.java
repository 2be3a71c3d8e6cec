package dev.cxr.model.data;

/**
 * numpy's legacy {@code RandomState}: the MT19937 generator of Matsumoto and Nishimura, seeded as
 * {@code RandomState(seed)} seeds it, with numpy's bounded integers and shuffle. Only what
 * scikit-learn's stratified split draws is here, so that the split of a seed matches the one Python
 * gives, index for index.
 *
 * <p>Why not a library: Commons RNG has an MT19937, but it seeds from an array ({@code init_by_array})
 * where numpy's {@code RandomState(seed)} seeds from the integer ({@code init_genrand}), and it draws
 * bounded integers its own way where numpy masks and rejects; the same seed gives other numbers,
 * so another split than the tutorial's. These 30 lines are what reproducing it takes.
 */
public final class MersenneTwister {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;

    /** As numpy's {@code RandomState(seed)} for an integer seed in [0, 2^32). */
    public MersenneTwister(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1, got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** The next 32 random bits, as an unsigned value in a long. */
    public long nextUint32() {
        if (pos >= N) {
            twist();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & UPPER) | (mt[(i + 1) % N] & LOWER);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        pos = 0;
    }

    /** A uniform integer in [0, max], by masked rejection sampling, as numpy's {@code random_interval}. */
    public long interval(long max) {
        if (max == 0) {
            return 0;
        }
        if (max < 0 || max > 0xffffffffL) {
            throw new IllegalArgumentException("interval bound out of range: " + max);
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** Shuffles in place as numpy's {@code RandomState.shuffle} on a 1-d array (Fisher-Yates from the end). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code RandomState.permutation(n)}: a shuffled 0..n-1. */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a);
        return a;
    }

    /** {@code RandomState.permutation(array)}: a shuffled copy. */
    public int[] permutation(int[] values) {
        int[] a = values.clone();
        shuffle(a);
        return a;
    }
}
