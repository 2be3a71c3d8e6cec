package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.tensor.Storage;
import jcuda.driver.CUdeviceptr;

/**
 * A tensor's memory on the GPU, owned by the {@link CudaBackend} that allocated it. {@link #close()}
 * frees it (after the stream has finished with it); closing the backend frees what is still open.
 */
public final class CudaStorage implements Storage {
    private final CudaBackend owner;
    private final int capacity;
    private CUdeviceptr pointer;

    CudaStorage(CudaBackend owner, CUdeviceptr pointer, int capacity) {
        this.owner = owner;
        this.pointer = pointer;
        this.capacity = capacity;
    }

    CudaBackend owner() {
        return owner;
    }

    /** The device address; throws if the memory was released. */
    CUdeviceptr pointer() {
        if (pointer == null) {
            throw new IllegalStateException("GPU tensor used after close() (of the tensor or of its backend)");
        }
        return pointer;
    }

    boolean isOpen() {
        return pointer != null;
    }

    @Override
    public int capacity() {
        return pointer == null ? 0 : capacity;
    }

    @Override
    public void close() {
        if (pointer != null) {
            owner.release(this);
        }
    }

    /** Called by the owner once the memory is freed. */
    void markReleased() {
        pointer = null;
    }
}
