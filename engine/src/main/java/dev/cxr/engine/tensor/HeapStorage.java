package dev.cxr.engine.tensor;

/** Storage in a Java {@code float[]}: what every CPU backend uses, so their tensors mix freely. */
public final class HeapStorage implements Storage {
    private float[] data;

    public HeapStorage(float[] data) {
        this.data = data;
    }

    /** The backing array; throws if the storage was closed. */
    public float[] data() {
        if (data == null) {
            throw new IllegalStateException("tensor used after close()");
        }
        return data;
    }

    @Override
    public int capacity() {
        return data == null ? 0 : data.length;
    }

    @Override
    public void close() {
        data = null;
    }
}
