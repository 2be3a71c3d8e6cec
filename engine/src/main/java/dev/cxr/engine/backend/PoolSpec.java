package dev.cxr.engine.backend;

/**
 * Geometry of a 2-D pooling window with 'valid' padding: window size and stride. Keras's
 * MaxPooling2D((2,2)) is {@code PoolSpec.of(2, 2)}; AveragePooling2D((4,4)) is {@code of(4, 4)}.
 */
public record PoolSpec(int poolH, int poolW, int strideH, int strideW) {

    public PoolSpec {
        if (poolH < 1 || poolW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pool " + poolH + "x" + poolW + " stride " + strideH + "x" + strideW
                    + ": every size must be at least 1");
        }
    }

    public static PoolSpec of(int pool, int stride) {
        return new PoolSpec(pool, pool, stride, stride);
    }

    public int outH(int inH) {
        return out(inH, poolH, strideH);
    }

    public int outW(int inW) {
        return out(inW, poolW, strideW);
    }

    private static int out(int in, int pool, int stride) {
        if (in < pool) {
            throw new IllegalArgumentException("input size " + in + " is smaller than the pool window " + pool);
        }
        return (in - pool) / stride + 1;
    }
}
