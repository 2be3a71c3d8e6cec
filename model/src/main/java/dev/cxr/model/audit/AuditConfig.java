package dev.cxr.model.audit;

import dev.cxr.engine.CxrException;
import java.nio.file.Path;

/**
 * What {@code cxr audit} is asked to look at.
 *
 * @param groupsFile    the CSV of image -> group (patient), or null
 * @param testSplit     check the train/test split of this test fraction, or null
 * @param folds         check a k-fold split into this many folds, or null (also the baseline's folds)
 * @param seed          seed of the splits, the folds and the bootstrap, 0 to 2^32 - 1 (numpy's range)
 * @param nearDistance  largest perceptual-hash distance counted as a near duplicate
 */
public record AuditConfig(Path groupsFile, Double testSplit, Integer folds, long seed, int nearDistance) {
    /** The tutorial's seed, as {@code cxr train}'s default. */
    public static final long DEFAULT_SEED = 42;
    /** Folds of the metadata baseline when {@code --folds} is not given. */
    public static final int BASELINE_FOLDS = 5;
    /**
     * Near-duplicate distance, in bits of the 63-bit {@link PerceptualHash}. On the 50 bundled
     * images, re-encoding as JPEG at quality 40, halving the size or shrinking to 512 pixels wide
     * moved the hash by at most 2 bits; the two closest different images are 8 bits apart (one
     * patient's films a day apart) and the closest of different patients 10. 4 sits between them.
     * Crops of 3% a side moved it by up to 14, so crops are not reliably found.
     */
    public static final int NEAR_DISTANCE = 4;

    public AuditConfig {
        if (testSplit != null && !(testSplit > 0 && testSplit < 1)) {
            throw new CxrException("--test-split must be a fraction between 0 and 1 (exclusive), got " + testSplit);
        }
        if (folds != null && folds < 2) {
            throw new CxrException("--folds must be at least 2, got " + folds);
        }
        if (testSplit != null && folds != null) {
            throw new CxrException("give --test-split or --folds, not both: the audit checks one kind of split");
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new CxrException("--seed must be between 0 and 4294967295 (numpy's range), got " + seed);
        }
        if (nearDistance < 0 || nearDistance > 63) {
            throw new CxrException("the near-duplicate distance must be between 0 and 63 bits, got " + nearDistance);
        }
    }

    /** Defaults: no groups, no split, seed 42, distance {@value #NEAR_DISTANCE}. */
    public static AuditConfig defaults() {
        return new AuditConfig(null, null, null, DEFAULT_SEED, NEAR_DISTANCE);
    }

    /** The folds of the metadata baseline: --folds, or {@value #BASELINE_FOLDS}. */
    public int baselineFolds() {
        return folds != null ? folds : BASELINE_FOLDS;
    }
}
