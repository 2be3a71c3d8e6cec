package dev.cxr.model.testing;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded generator of damaged copies of a file's bytes, in the ways files get damaged: bit flips,
 * a cut (an interrupted download or copy), a span overwritten with random bytes or zeros (a bad
 * block), bytes of the header rewritten (the fields a reader trusts first). Each mutation says what
 * it did, so that a failing case can be replayed from its description.
 */
public final class Mutations {
    /** A damaged copy and what was done to it; {@code truncated} when the copy is shorter than the original. */
    public record Mutant(byte[] bytes, String description, boolean truncated) {}

    private final SplittableRandom random;

    public Mutations(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public SplittableRandom random() {
        return random;
    }

    /** One damaged copy of {@code original}, of a kind chosen at random. */
    public Mutant mutate(byte[] original) {
        byte[] b = original.clone();
        int n = b.length;
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                StringBuilder where = new StringBuilder();
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(n);
                    int bit = random.nextInt(8);
                    b[at] ^= (byte) (1 << bit);
                    where.append(i > 0 ? "," : "").append(at).append('.').append(bit);
                }
                return new Mutant(b, "bit flips at " + where, false);
            }
            case 1 -> {
                int keep = random.nextInt(n);
                return new Mutant(Arrays.copyOf(b, keep), "cut to " + keep + " of " + n + " bytes", true);
            }
            case 2 -> {
                int at = random.nextInt(n);
                int len = 1 + random.nextInt(Math.min(256, n - at));
                boolean zeros = random.nextBoolean();
                for (int i = at; i < at + len; i++) {
                    b[i] = zeros ? 0 : (byte) random.nextInt(256);
                }
                return new Mutant(b, (zeros ? "zeroed " : "random bytes over ") + len + " bytes at " + at, false);
            }
            case 3 -> {
                // the header: HDF5's superblock (sizes, addresses, end of file) or an image's first chunk
                int at = random.nextInt(Math.min(n, 96));
                byte v = (byte) random.nextInt(256);
                b[at] = v;
                return new Mutant(b, "header byte " + at + " set to " + (v & 0xff), false);
            }
            default -> {
                // a 4- or 8-byte little-endian field near the start set to an extreme: 0, -1, a huge count
                int width = random.nextBoolean() ? 4 : 8;
                int at = random.nextInt(Math.max(1, Math.min(n, 512) - width));
                long[] extremes = {0, -1, Integer.MAX_VALUE, 1L << 40, 7};
                long v = extremes[random.nextInt(extremes.length)];
                for (int i = 0; i < width && at + i < n; i++) {
                    b[at + i] = (byte) (v >>> (8 * i));
                }
                return new Mutant(b, "field of " + width + " bytes at " + at + " set to " + v, false);
            }
        }
    }
}
