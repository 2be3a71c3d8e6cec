package dev.cxr.engine.optim;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adam exactly as Keras runs it, in float32, with the legacy per-step decay the tutorial used
 * ({@code Adam(lr=1e-3, decay=1e-3/epochs)}):
 * <pre>
 *   it    = completed steps;  t = it + 1
 *   lr    = lr0 / (1 + decay * it)
 *   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);  w -= m alpha / (sqrt(v) + epsilon)
 * </pre>
 * Epsilon is added to sqrt(v), not to the bias-corrected sqrt(v-hat). State (m, v) is kept per
 * parameter; frozen parameters are skipped and get no state.
 */
public final class Adam implements AutoCloseable {
    private final Backend backend;
    private final List<Parameter> parameters;
    private final float learningRate;
    private final float decay;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<Parameter, Tensor[]> moments = new IdentityHashMap<>();
    private long iterations;

    /** Keras's defaults: beta1 0.9, beta2 0.999, epsilon 1e-7. */
    public Adam(Backend backend, List<Parameter> parameters, float learningRate, float decay) {
        this(backend, parameters, learningRate, decay, 0.9f, 0.999f, 1e-7f);
    }

    public Adam(
            Backend backend,
            List<Parameter> parameters,
            float learningRate,
            float decay,
            float beta1,
            float beta2,
            float epsilon) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.parameters = List.copyOf(parameters);
        if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(decay >= 0f)) {
            throw new IllegalArgumentException("decay must be zero or positive, got " + decay);
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        this.learningRate = learningRate;
        this.decay = decay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Steps completed so far. */
    public long iterations() {
        return iterations;
    }

    /** The decayed learning rate the next step will use (Keras's InverseTimeDecay, per step). */
    public float currentLearningRate() {
        return learningRate / (1f + decay * (float) iterations);
    }

    /** alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t), in float32 as Keras computes it. */
    float stepSize() {
        float t = (float) (iterations + 1);
        float beta1Power = (float) Math.pow(beta1, t);
        float beta2Power = (float) Math.pow(beta2, t);
        return currentLearningRate() * (float) Math.sqrt(1f - beta2Power) / (1f - beta1Power);
    }

    /** Applies one update to every trainable parameter from its gradient, then counts the step. */
    public void step() {
        float alpha = stepSize();
        for (Parameter p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            Tensor[] mv = moments.computeIfAbsent(p, k -> new Tensor[] {
                backend.zeros(k.value().shape()), backend.zeros(k.value().shape())
            });
            backend.adamStep(p.value(), p.grad(), mv[0], mv[1], alpha, beta1, beta2, epsilon);
        }
        iterations++;
    }

    @Override
    public void close() {
        for (Tensor[] mv : moments.values()) {
            mv[0].close();
            mv[1].close();
        }
        moments.clear();
    }
}
