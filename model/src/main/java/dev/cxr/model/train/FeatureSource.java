package dev.cxr.model.train;

import dev.cxr.engine.tensor.Tensor;

/**
 * The head's input for a batch of training rows: cached base features, or augmented images run
 * through the frozen base. The returned tensor belongs to the source and stays valid until its next
 * call.
 */
public interface FeatureSource extends AutoCloseable {
    /** Number of rows. */
    int size();

    /** The features of these rows, in this order. */
    Tensor batch(int[] rows);

    @Override
    default void close() {}
}
