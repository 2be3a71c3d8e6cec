package dev.cxr.engine.loss;

import dev.cxr.engine.tensor.Tensor;

/**
 * A loss on a network's output probabilities [N, F] against targets [N, F]. {@code forward}
 * returns the batch-mean loss and keeps what {@code backward} needs; {@code backward} returns
 * dL/dp, owned by the loss and valid until its next call.
 */
public interface Loss extends AutoCloseable {

    float forward(Tensor probabilities, Tensor targets);

    Tensor backward();

    /** The loss without keeping a gradient (validation, reports). */
    float evaluate(Tensor probabilities, Tensor targets);

    @Override
    void close();
}
