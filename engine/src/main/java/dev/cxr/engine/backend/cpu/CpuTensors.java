package dev.cxr.engine.backend.cpu;

import dev.cxr.engine.tensor.HeapStorage;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/** Access to the Java arrays behind CPU tensors, shared by the CPU backends. */
public final class CpuTensors {
    private CpuTensors() {}

    /**
     * The backing array of a CPU tensor, for reading or writing (it counts as a write: see
     * {@link HeapStorage#version()}); a clear error for a tensor of another backend.
     */
    public static float[] data(Tensor t) {
        return heap(t).data();
    }

    /** The backing array of a CPU tensor for reading only: the caller must not write into it. */
    public static float[] read(Tensor t) {
        return heap(t).readData();
    }

    /** The storage of a CPU tensor; a clear error for a tensor of another backend. */
    public static HeapStorage heap(Tensor t) {
        if (t.storage() instanceof HeapStorage h) {
            return h;
        }
        throw new IllegalArgumentException(
                "tensor " + t.shape() + " lives in " + t.storage().getClass().getSimpleName()
                        + ", not in CPU memory: pass tensors of the backend that runs the op");
    }

    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new HeapStorage(new float[shape.size()]));
    }

    public static Tensor of(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        return new Tensor(shape, new HeapStorage(data.clone()));
    }

    /** {@link Tensor#requireSameSize}, where the CPU backends import it from. */
    public static void requireSameSize(Tensor a, Tensor b) {
        Tensor.requireSameSize(a, b);
    }

    /** {@link Tensor#requireShape}, where the CPU backends import it from. */
    public static void requireShape(Tensor t, Shape expected, String what) {
        Tensor.requireShape(t, expected, what);
    }
}
