package dev.cxr.engine.loss;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities, as tf.keras 2.x computed the tutorial's
 * {@code loss="binary_crossentropy"} on a 2-unit softmax: p clipped to [1e-7, 1 - 1e-7],
 * -(y log p + (1 - y) log(1 - p)), mean over the outputs, then over the batch. The gradient flows
 * back through the softmax and is zero where the clip is active. (Keras 3 instead takes the
 * pre-softmax logits for the same code; this engine follows the tutorial.)
 */
public final class BinaryCrossEntropy extends ProbabilityLoss {

    public BinaryCrossEntropy(Backend backend) {
        this(backend, KERAS_EPSILON);
    }

    public BinaryCrossEntropy(Backend backend, float epsilon) {
        super(backend, epsilon);
    }

    @Override
    protected float compute(Tensor p, Tensor targets, Tensor dp) {
        return backend.binaryCrossEntropy(p, targets, dp, epsilon);
    }
}
