package dev.cxr.engine.loss;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Tensor;
import java.util.Objects;

/** Shared plumbing of the losses on clipped probabilities: the gradient buffer and the clip. */
abstract class ProbabilityLoss implements Loss {
    /** Keras's backend epsilon: probabilities are clipped to [1e-7, 1 - 1e-7]. */
    public static final float KERAS_EPSILON = 1e-7f;

    protected final Backend backend;
    protected final float epsilon;
    private Tensor grad;
    private boolean haveGrad;

    ProbabilityLoss(Backend backend, float epsilon) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.epsilon = epsilon;
    }

    /** Runs the backend op, writing the gradient when {@code dp} is not null. */
    protected abstract float compute(Tensor p, Tensor targets, Tensor dp);

    @Override
    public float forward(Tensor p, Tensor targets) {
        if (!p.shape().equals(targets.shape())) {
            throw new IllegalArgumentException(
                    "probabilities " + p.shape() + " and targets " + targets.shape() + " differ in shape");
        }
        if (grad == null || !grad.shape().equals(p.shape())) {
            if (grad != null) {
                grad.close();
            }
            grad = backend.zeros(p.shape());
        }
        haveGrad = true;
        return compute(p, targets, grad);
    }

    @Override
    public Tensor backward() {
        if (!haveGrad) {
            throw new IllegalStateException("loss backward called before forward");
        }
        return grad;
    }

    @Override
    public float evaluate(Tensor p, Tensor targets) {
        return compute(p, targets, null);
    }

    @Override
    public void close() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }
}
