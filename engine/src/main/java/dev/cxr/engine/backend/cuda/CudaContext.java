package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.CxrException.Remedy;
import dev.cxr.engine.backend.cuda.CudaStatus.Gpu;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * One GPU as the backend uses it: the device's primary context, one stream every op runs on, device
 * memory, and a pinned host buffer through which the large copies go. Made current on whichever
 * thread calls (a CUDA context is current per thread; JMH and test runners may switch threads).
 *
 * <p>Ordering: everything is queued on the one stream; copies to and from Java arrays first wait
 * for the stream, so they see the results of every op before them.
 */
final class CudaContext implements AutoCloseable {
    /** Transfers at least this large go through the pinned buffer (faster DMA than pageable memory). */
    private static final long PINNED_THRESHOLD_BYTES = 256 * 1024;
    /** The pinned buffer's largest size; bigger transfers go through it in pieces. */
    private static final long PINNED_MAX_BYTES = 64L * 1024 * 1024;

    final Gpu gpu;
    final CUdevice device = new CUdevice();
    final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    /** Set CXR_CUDA_SYNC=1 to wait after every op, so an asynchronous failure names its op. */
    final boolean syncEveryOp;
    /** Mirrors the driver's per-thread current context: which of our contexts each thread last made current. */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();

    private boolean retained;
    private boolean streamCreated;
    private Pointer pinned;
    private long pinnedBytes;
    private Runnable releaseCaches = () -> {};

    CudaContext(Gpu gpu) {
        this.gpu = gpu;
        this.syncEveryOp = "1".equals(System.getenv("CXR_CUDA_SYNC"));
        try {
            CudaCalls.check(JCudaDriver.cuDeviceGet(device, gpu.index()), "cuDeviceGet");
            CudaCalls.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
            retained = true;
            makeCurrent();
            CudaCalls.check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
            streamCreated = true;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** What to drop (cached workspaces) before an allocation is retried after running out of memory. */
    void onOutOfMemory(Runnable release) {
        this.releaseCaches = release;
    }

    /** Makes this context current on the calling thread (a no-op when it already is). */
    void makeCurrent() {
        if (CURRENT.get() != this) {
            CudaCalls.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            CURRENT.set(this);
        }
    }

    // ---- memory ----

    /** Device memory of {@code bytes} (at least 4); out of memory is a {@link CxrException}. */
    CUdeviceptr alloc(long bytes, String what) {
        long size = Math.max(bytes, 4);
        CUdeviceptr p = new CUdeviceptr();
        int r = JCudaDriver.cuMemAlloc(p, size);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            synchronize("cuMemAlloc retry");
            releaseCaches.run();
            r = JCudaDriver.cuMemAlloc(p, size);
        }
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw outOfMemory(size, what);
        }
        CudaCalls.check(r, "cuMemAlloc(" + size + " bytes for " + what + ")");
        return p;
    }

    CxrException outOfMemory(long bytes, String what) {
        long[] free = new long[1];
        long[] total = new long[1];
        String state = JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS
                ? String.format(Locale.ROOT, " (%s free of %s)", mib(free[0]), mib(total[0]))
                : "";
        return new CxrException(
                String.format(
                        Locale.ROOT,
                        "out of GPU memory on cuda:%d %s: %s for %s did not fit%s",
                        gpu.index(),
                        gpu.name(),
                        mib(bytes),
                        what,
                        state),
                Remedy.SMALLER_BATCHES);
    }

    static String mib(long bytes) {
        return bytes >= 1L << 30
                ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    /** Frees device memory once the stream has finished with it. */
    void free(CUdeviceptr p) {
        synchronize("cuMemFree");
        CudaCalls.check(JCudaDriver.cuMemFree(p), "cuMemFree");
    }

    /** [free, total] device memory in bytes. */
    long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        CudaCalls.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    // ---- copies (counts in floats) ----

    void upload(float[] src, CUdeviceptr dst, int count) {
        long bytes = 4L * count;
        synchronize("upload");
        if (count == 0) {
            return;
        }
        if (bytes < PINNED_THRESHOLD_BYTES || !ensurePinned(Math.min(bytes, PINNED_MAX_BYTES))) {
            CudaCalls.check(JCudaDriver.cuMemcpyHtoD(dst, Pointer.to(src), bytes), "cuMemcpyHtoD");
            return;
        }
        int chunk = (int) (pinnedBytes / 4);
        FloatBuffer staging = pinned.getByteBuffer(0, pinnedBytes)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int off = 0; off < count; off += chunk) {
            int n = Math.min(chunk, count - off);
            staging.clear();
            staging.put(src, off, n);
            CudaCalls.check(
                    JCudaDriver.cuMemcpyHtoDAsync(dst.withByteOffset(4L * off), pinned, 4L * n, stream),
                    "cuMemcpyHtoDAsync");
            synchronize("upload");
        }
    }

    void download(CUdeviceptr src, float[] dst, int count) {
        long bytes = 4L * count;
        synchronize("download");
        if (count == 0) {
            return;
        }
        if (bytes < PINNED_THRESHOLD_BYTES || !ensurePinned(Math.min(bytes, PINNED_MAX_BYTES))) {
            CudaCalls.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst), src, bytes), "cuMemcpyDtoH");
            return;
        }
        int chunk = (int) (pinnedBytes / 4);
        FloatBuffer staging = pinned.getByteBuffer(0, pinnedBytes)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int off = 0; off < count; off += chunk) {
            int n = Math.min(chunk, count - off);
            CudaCalls.check(
                    JCudaDriver.cuMemcpyDtoHAsync(pinned, src.withByteOffset(4L * off), 4L * n, stream),
                    "cuMemcpyDtoHAsync");
            synchronize("download");
            staging.clear();
            staging.get(dst, off, n);
        }
    }

    /** A few bytes from the device, e.g. a loss total (synchronous). */
    double downloadDouble(CUdeviceptr src) {
        double[] out = new double[1];
        synchronize("download");
        CudaCalls.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), src, 8), "cuMemcpyDtoH");
        return out[0];
    }

    void copy(CUdeviceptr src, CUdeviceptr dst, long bytes) {
        CudaCalls.check(JCudaDriver.cuMemcpyDtoDAsync(dst, src, bytes, stream), "cuMemcpyDtoDAsync");
    }

    void fill(CUdeviceptr dst, float value, long count) {
        CudaCalls.check(
                JCudaDriver.cuMemsetD32Async(dst, Float.floatToRawIntBits(value), count, stream), "cuMemsetD32Async");
    }

    /** A pinned buffer of at least {@code bytes}; false when pinned memory is not available here. */
    private boolean ensurePinned(long bytes) {
        if (pinned != null && pinnedBytes >= bytes) {
            return true;
        }
        releasePinned();
        Pointer p = new Pointer();
        if (JCudaDriver.cuMemAllocHost(p, bytes) != CUresult.CUDA_SUCCESS) {
            return false;
        }
        pinned = p;
        pinnedBytes = bytes;
        return true;
    }

    private void releasePinned() {
        if (pinned != null) {
            CudaCalls.check(JCudaDriver.cuMemFreeHost(pinned), "cuMemFreeHost");
            pinned = null;
            pinnedBytes = 0;
        }
    }

    void synchronize(String after) {
        CudaCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize after " + after);
    }

    /** With CXR_CUDA_SYNC=1, waits for the op so that a failure is reported against it. */
    void opDone(String op) {
        if (syncEveryOp) {
            synchronize(op);
        }
    }

    @Override
    public void close() {
        if (retained) {
            makeCurrent();
        }
        try {
            if (streamCreated) {
                synchronize("close");
            }
            releasePinned();
        } finally {
            if (streamCreated) {
                JCudaDriver.cuStreamDestroy(stream);
                streamCreated = false;
            }
            if (retained) {
                JCudaDriver.cuDevicePrimaryCtxRelease(device);
                retained = false;
                CURRENT.remove();
            }
        }
    }
}
