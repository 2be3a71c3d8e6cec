package dev.cxr.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Values from numpy 2.4 (legacy RandomState), printed once and copied here. */
class MersenneTwisterTest {
    @Test
    void rawOutputMatchesNumpyLegacySeeding() {
        // MT19937()._legacy_seeding(42); random_raw(3)
        MersenneTwister mt = new MersenneTwister(42);
        assertEquals(1608637542L, mt.nextUint32());
        assertEquals(3421126067L, mt.nextUint32());
        assertEquals(4083286876L, mt.nextUint32());
    }

    @Test
    void permutationsMatchNumpy() {
        assertArrayEquals(new int[] {8, 1, 5, 0, 7, 2, 9, 4, 3, 6}, new MersenneTwister(42).permutation(10));
        MersenneTwister mt = new MersenneTwister(7);
        assertArrayEquals(
                new int[] {1, 5, 11, 13, 2, 21, 9, 16, 12, 0, 23, 6, 20, 17, 24, 10, 18, 8, 14, 7, 19, 3, 22, 4, 15},
                mt.permutation(25));
        // the stream goes on: permutation of an array right after
        assertArrayEquals(new int[] {4, 5, 1, 1, 2, 3, 9, 6}, mt.permutation(new int[] {3, 1, 4, 1, 5, 9, 2, 6}));
    }

    @Test
    void seedMustFitIn32Bits() {
        assertThrows(IllegalArgumentException.class, () -> new MersenneTwister(-1));
        assertThrows(IllegalArgumentException.class, () -> new MersenneTwister(1L << 32));
    }
}
