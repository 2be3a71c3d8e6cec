package dev.cxr.engine.tensor;

/**
 * Storage in a Java {@code float[]}: what every CPU backend uses, so their tensors mix freely.
 *
 * <p>It keeps a version that changes whenever the array is handed out by {@link #data()}, which may
 * be used for writing. Caches of data derived from a tensor (the fast CPU backend's transformed
 * convolution kernels) compare versions, so they can never serve a stale result after a write
 * through any backend. Code that only reads uses {@link #readData()}, which leaves the version alone.
 * Like the array itself, the version is not meant for concurrent writers.
 */
public final class HeapStorage implements Storage {
    private float[] data;
    private long version;

    public HeapStorage(float[] data) {
        this.data = data;
    }

    /** The backing array, for reading or writing; counts as a write (the version changes). */
    public float[] data() {
        float[] d = readData();
        version++;
        return d;
    }

    /** The backing array, for reading only: callers must not write into it. Leaves the version alone. */
    public float[] readData() {
        if (data == null) {
            throw new IllegalStateException("tensor used after close()");
        }
        return data;
    }

    /** Changes every time {@link #data()} hands out the array; equal versions mean unchanged contents. */
    public long version() {
        return version;
    }

    @Override
    public int capacity() {
        return data == null ? 0 : data.length;
    }

    @Override
    public void close() {
        data = null;
        version++;
    }
}
