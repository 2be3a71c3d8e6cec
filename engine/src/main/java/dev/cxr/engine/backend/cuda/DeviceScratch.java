package dev.cxr.engine.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Device memory reused from call to call (the cuDNN workspace, the padded copy of a convolution's
 * input): it grows to the largest request, rounded up to a multiple of {@code roundBytes}, and never
 * shrinks, except that it is released when memory runs out (and made again on the next request).
 */
final class DeviceScratch {
    private final CudaContext ctx;
    private final String what;
    private final long roundBytes;
    private CUdeviceptr pointer;
    private long bytes;

    /** @param what names the buffer in an out-of-memory message */
    DeviceScratch(CudaContext ctx, String what, long roundBytes) {
        this.ctx = ctx;
        this.what = what;
        this.roundBytes = roundBytes;
    }

    /** The buffer, at least {@code need} bytes long. */
    CUdeviceptr atLeast(long need) {
        if (bytes < need) {
            release();
            long rounded = (need + roundBytes - 1) / roundBytes * roundBytes;
            pointer = ctx.alloc(rounded, what);
            bytes = rounded;
        }
        return pointer;
    }

    /** The buffer as it is, or null when there is none. */
    CUdeviceptr current() {
        return pointer;
    }

    void release() {
        if (pointer != null) {
            ctx.free(pointer);
            pointer = null;
            bytes = 0;
        }
    }
}
