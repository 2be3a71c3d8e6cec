package dev.cxr.engine.tensor;

/**
 * The memory behind a tensor, owned by the backend that allocated it: a Java array for the CPU
 * backends, device memory for CUDA. Released by {@link #close()}, or by closing its backend (see
 * {@link dev.cxr.engine.backend.Backend#close()}); closing twice is harmless.
 */
public interface Storage extends AutoCloseable {
    /** Capacity in float elements. */
    int capacity();

    @Override
    void close();
}
