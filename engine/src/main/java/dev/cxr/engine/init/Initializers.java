package dev.cxr.engine.init;

import java.util.random.RandomGenerator;

/**
 * Keras's default initialisers, drawn from a generator the caller seeds: Glorot-uniform kernels
 * (uniform in +-sqrt(6 / (fanIn + fanOut))) and zero biases. The values follow Keras's distribution,
 * not TensorFlow's random stream, so they are not bit-identical to a Keras model's.
 */
public final class Initializers {
    private Initializers() {}

    /**
     * {@code count} values uniform in [-limit, limit), limit = sqrt(6 / (fanIn + fanOut)).
     * For a dense kernel fanIn = in, fanOut = out; for a conv kernel both include kh * kw.
     */
    public static float[] glorotUniform(int count, int fanIn, int fanOut, RandomGenerator random) {
        if (fanIn <= 0 || fanOut <= 0) {
            throw new IllegalArgumentException("fan-in and fan-out must be positive, got " + fanIn + ", " + fanOut);
        }
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return values;
    }

    public static float[] zeros(int count) {
        return new float[count];
    }
}
