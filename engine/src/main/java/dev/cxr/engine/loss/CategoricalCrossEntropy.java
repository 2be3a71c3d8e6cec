package dev.cxr.engine.loss;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Tensor;

/**
 * Categorical cross-entropy on probabilities: -sum_i y_i log clip(p_i, 1e-7, 1 - 1e-7), mean over
 * the batch. For 2 classes with one-hot targets it equals {@link BinaryCrossEntropy} up to rounding.
 */
public final class CategoricalCrossEntropy extends ProbabilityLoss {

    public CategoricalCrossEntropy(Backend backend) {
        this(backend, KERAS_EPSILON);
    }

    public CategoricalCrossEntropy(Backend backend, float epsilon) {
        super(backend, epsilon);
    }

    @Override
    protected float compute(Tensor p, Tensor targets, Tensor dp) {
        return backend.categoricalCrossEntropy(p, targets, dp, epsilon);
    }
}
