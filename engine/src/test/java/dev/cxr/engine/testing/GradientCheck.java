package dev.cxr.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.Parameter;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * Central-difference gradient check of a layer against the loss L = sum_i r_i y_i with random
 * weights r (a plain sum would have zero gradient through a softmax). Checks dL/dx and the gradient
 * of every trainable parameter, element by element.
 */
public final class GradientCheck {
    /** Step for the central difference. Linear ops are exact at any step up to float rounding. */
    public static final float DEFAULT_STEP = 1e-2f;

    /**
     * Relative tolerance: forward passes run in float32 (about 6e-8 relative rounding), which a step
     * of 1e-2 amplifies to about 1e-5 of the loss; nonlinear layers add O(step^2) truncation. 1e-2
     * leaves margin for both while any indexing or sign error (an error of order 1) fails.
     */
    public static final double RTOL = 1e-2;

    /** Absolute floor relative to the largest analytic gradient, for entries that are nearly zero. */
    public static final double ATOL_FRACTION = 1e-3;

    private final Backend backend;
    private final Layer layer;
    private final Shape inputShape;
    private final float[] input;
    private final boolean training;
    private float step = DEFAULT_STEP;
    private Runnable beforeForward = () -> {};

    public GradientCheck(Backend backend, Layer layer, Shape inputShape, float[] input, boolean training) {
        this.backend = backend;
        this.layer = layer;
        this.inputShape = inputShape;
        this.input = input.clone();
        this.training = training;
    }

    public GradientCheck step(float h) {
        this.step = h;
        return this;
    }

    /** Runs before every forward pass (rewinds a dropout generator, for instance). */
    public GradientCheck beforeForward(Runnable r) {
        this.beforeForward = r;
        return this;
    }

    /** Runs the check; fails with the first mismatching element named. Returns the number checked. */
    public int run(long seed) {
        Shape outShape = layer.outputShape(inputShape);
        float[] r = Data.uniform(outShape.size(), 1f, seed);

        // analytic
        layer.zeroGrad();
        float[] dx;
        try (Tensor x = backend.upload(inputShape, input);
                Tensor dy = backend.upload(outShape, r)) {
            beforeForward.run();
            layer.forward(x, training);
            dx = backend.download(layer.backward(dy));
        }
        int checked = compare("input", dx, input, values -> loss(values, r));
        for (Parameter p : layer.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            float[] analytic = backend.download(p.grad());
            float[] original = p.get();
            checked += compare(p.name(), analytic, original, values -> {
                p.set(values);
                try {
                    return loss(input, r);
                } finally {
                    p.set(original);
                }
            });
        }
        return checked;
    }

    private double loss(float[] x, float[] r) {
        try (Tensor t = backend.upload(inputShape, x)) {
            beforeForward.run();
            float[] y = backend.download(layer.forward(t, training));
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                sum += (double) r[i] * y[i];
            }
            return sum;
        }
    }

    private interface Objective {
        double at(float[] values);
    }

    private int compare(String what, float[] analytic, float[] point, Objective f) {
        double atol = ATOL_FRACTION * Math.max(1.0, Data.maxAbs(analytic));
        float[] v = point.clone();
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + step;
            double plus = f.at(v);
            v[i] = old - step;
            double minus = f.at(v);
            v[i] = old;
            double numeric = (plus - minus) / (2.0 * step);
            double diff = Math.abs(numeric - analytic[i]);
            if (diff > atol + RTOL * Math.max(Math.abs(numeric), Math.abs(analytic[i]))) {
                fail(layer.name() + ": d/d " + what + "[" + i + "] analytic " + analytic[i] + " vs numeric " + numeric
                        + " (of " + v.length + ")");
            }
        }
        return v.length;
    }
}
