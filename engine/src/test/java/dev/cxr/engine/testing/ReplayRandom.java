package dev.cxr.engine.testing;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** A seeded generator that can be rewound, so a dropout mask repeats across gradient-check evaluations. */
public final class ReplayRandom implements RandomGenerator {
    private final long seed;
    private SplittableRandom random;

    public ReplayRandom(long seed) {
        this.seed = seed;
        rewind();
    }

    public void rewind() {
        random = new SplittableRandom(seed);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }
}
