package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.CxrException.Remedy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.runtime.cudaStream_t;

/**
 * The cuDNN handle on the backend's stream, with descriptors cached per shape (they are small and
 * shapes repeat every batch) and one reusable workspace that grows to the largest request.
 * Convolutions are planned in {@link ConvPlan}; this class runs pooling, softmax and bias gradients.
 */
final class Cudnn implements AutoCloseable {
    static final int DATA_FLOAT = 0; // CUDNN_DATA_FLOAT
    static final int TENSOR_NCHW = 0; // CUDNN_TENSOR_NCHW
    static final int POOLING_MAX = 0; // CUDNN_POOLING_MAX
    static final int POOLING_AVERAGE = 1; // CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING ('valid': no padding)
    static final int PROPAGATE_NAN = 1; // CUDNN_PROPAGATE_NAN: a NaN wins the max, as in the reference
    static final int SOFTMAX_ACCURATE = 1; // CUDNN_SOFTMAX_ACCURATE: max-subtracted
    static final int SOFTMAX_MODE_CHANNEL = 1;

    /** The largest workspace a convolution algorithm may ask for; slower algorithms that need less are chosen otherwise. */
    static final long WORKSPACE_LIMIT_BYTES = 1L << 30;

    static final Pointer ONE = Pointer.to(new float[] {1f});
    static final Pointer ZERO = Pointer.to(new float[] {0f});

    final CudaContext ctx;
    final cudnnHandle handle = new cudnnHandle();
    private boolean created;
    private final Map<Dims, cudnnTensorDescriptor> tensors = new HashMap<>();
    private final Map<Dims, cudnnFilterDescriptor> filters = new HashMap<>();
    private final Map<List<Integer>, cudnnPoolingDescriptor> pools = new HashMap<>();
    private final List<ConvPlan> plans = new ArrayList<>();
    /** One workspace for every convolution, in whole MiB. */
    private final DeviceScratch workspace;

    /** Four dimensions of an NCHW tensor or a KCRS filter. */
    record Dims(int n, int c, int h, int w) {}

    Cudnn(CudaContext ctx) {
        this.ctx = ctx;
        this.workspace = new DeviceScratch(ctx, "the cuDNN workspace", 1 << 20);
        ctx.makeCurrent();
        int st = JCudnn.cudnnCreate(handle);
        if (st != CudaCalls.CUDNN_SUCCESS) {
            throw new CxrException(
                    "cuDNN does not start on cuda:" + ctx.gpu.index() + ": cudnnCreate returned "
                            + CudaCalls.cudnnName(st) + " (is this cuDNN built for a newer CUDA than the driver's?)",
                    Remedy.USE_THE_CPU);
        }
        created = true;
        CudaCalls.checkCudnn(JCudnn.cudnnSetStream(handle, new cudaStream_t(ctx.stream)), "cudnnSetStream");
    }

    cudnnTensorDescriptor tensor(Dims d) {
        return tensors.computeIfAbsent(d, k -> {
            cudnnTensorDescriptor desc = new cudnnTensorDescriptor();
            CudaCalls.checkCudnn(JCudnn.cudnnCreateTensorDescriptor(desc), "cudnnCreateTensorDescriptor");
            CudaCalls.checkCudnn(
                    JCudnn.cudnnSetTensor4dDescriptor(desc, TENSOR_NCHW, DATA_FLOAT, k.n, k.c, k.h, k.w),
                    "cudnnSetTensor4dDescriptor" + k);
            return desc;
        });
    }

    cudnnFilterDescriptor filter(Dims d) {
        return filters.computeIfAbsent(d, k -> {
            cudnnFilterDescriptor desc = new cudnnFilterDescriptor();
            CudaCalls.checkCudnn(JCudnn.cudnnCreateFilterDescriptor(desc), "cudnnCreateFilterDescriptor");
            CudaCalls.checkCudnn(
                    JCudnn.cudnnSetFilter4dDescriptor(desc, DATA_FLOAT, TENSOR_NCHW, k.n, k.c, k.h, k.w),
                    "cudnnSetFilter4dDescriptor" + k);
            return desc;
        });
    }

    private cudnnPoolingDescriptor pooling(int mode, int ph, int pw, int sh, int sw) {
        return pools.computeIfAbsent(List.of(mode, ph, pw, sh, sw), k -> {
            cudnnPoolingDescriptor desc = new cudnnPoolingDescriptor();
            CudaCalls.checkCudnn(JCudnn.cudnnCreatePoolingDescriptor(desc), "cudnnCreatePoolingDescriptor");
            CudaCalls.checkCudnn(
                    JCudnn.cudnnSetPooling2dDescriptor(desc, mode, PROPAGATE_NAN, ph, pw, 0, 0, sh, sw),
                    "cudnnSetPooling2dDescriptor");
            return desc;
        });
    }

    /** Keeps a plan so that close() releases its descriptor. */
    ConvPlan register(ConvPlan plan) {
        plans.add(plan);
        return plan;
    }

    /** The shared workspace, at least {@code bytes} long (a non-null pointer even for 0 bytes). */
    Pointer workspace(long bytes) {
        if (bytes <= 0) {
            return workspace.current() == null ? new Pointer() : workspace.current();
        }
        return workspace.atLeast(bytes);
    }

    /** Drops the workspace (it is made again on the next convolution); called when memory runs out. */
    void releaseWorkspace() {
        workspace.release();
    }

    /** Runs a cuDNN call's status through the checks: out of memory is the user's to fix (smaller batch). */
    void check(int status, String call) {
        if (status != CudaCalls.CUDNN_SUCCESS && CudaCalls.cudnnOutOfMemory(status)) {
            throw new CxrException(
                    "out of GPU memory in " + call + " on cuda:" + ctx.gpu.index() + " (" + CudaCalls.cudnnName(status)
                            + ")",
                    Remedy.SMALLER_BATCHES);
        }
        CudaCalls.checkCudnn(status, call);
        ctx.opDone(call);
    }

    // x [N, C, H, W] -> y [N, C, OH, OW], max (mode POOLING_MAX) or mean (POOLING_AVERAGE) of each window
    void poolForward(int mode, Dims x, CUdeviceptr xp, Dims y, CUdeviceptr yp, int ph, int pw, int sh, int sw) {
        ctx.makeCurrent();
        check(
                JCudnn.cudnnPoolingForward(
                        handle, pooling(mode, ph, pw, sh, sw), ONE, tensor(x), xp, ZERO, tensor(y), yp),
                "cudnnPoolingForward");
    }

    // x [N, F] -> y [N, F], softmax per row (as N x F x 1 x 1, softmax over the channels)
    void softmaxForward(Dims d, CUdeviceptr x, CUdeviceptr y) {
        ctx.makeCurrent();
        cudnnTensorDescriptor desc = tensor(d);
        check(
                JCudnn.cudnnSoftmaxForward(handle, SOFTMAX_ACCURATE, SOFTMAX_MODE_CHANNEL, ONE, desc, x, ZERO, desc, y),
                "cudnnSoftmaxForward");
    }

    // dx = y * (dy - <dy, y>) per row
    void softmaxBackward(Dims d, CUdeviceptr y, CUdeviceptr dy, CUdeviceptr dx) {
        ctx.makeCurrent();
        cudnnTensorDescriptor desc = tensor(d);
        check(
                JCudnn.cudnnSoftmaxBackward(
                        handle, SOFTMAX_ACCURATE, SOFTMAX_MODE_CHANNEL, ONE, desc, y, desc, dy, ZERO, desc, dx),
                "cudnnSoftmaxBackward");
    }

    // dbias [C] += sum of dy [N, C, H, W] over n, h, w (beta = 1 accumulates)
    void biasBackward(Dims dy, CUdeviceptr dyp, CUdeviceptr dbias) {
        ctx.makeCurrent();
        check(
                JCudnn.cudnnConvolutionBackwardBias(
                        handle, ONE, tensor(dy), dyp, ONE, tensor(new Dims(1, dy.c, 1, 1)), dbias),
                "cudnnConvolutionBackwardBias");
    }

    @Override
    public void close() {
        ctx.makeCurrent();
        for (ConvPlan p : plans) {
            p.close();
        }
        plans.clear();
        tensors.values().forEach(JCudnn::cudnnDestroyTensorDescriptor);
        tensors.clear();
        filters.values().forEach(JCudnn::cudnnDestroyFilterDescriptor);
        filters.clear();
        pools.values().forEach(JCudnn::cudnnDestroyPoolingDescriptor);
        pools.clear();
        releaseWorkspace();
        if (created) {
            JCudnn.cudnnDestroy(handle);
            created = false;
        }
    }
}
