package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cuda.Cudnn.Dims;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;

/**
 * The CUDA backend's convolutions as cuDNN runs them: a {@link ConvPlan} per shape (descriptors and
 * the algorithm of each direction, chosen on first use), the zero-padded copy of the input for the
 * paddings cuDNN cannot express (asymmetric ones), and the three calls, forward, backward data and
 * backward filter. One rule covers all three: where cuDNN refuses the chosen algorithm at run time
 * (for any reason but memory), the call is made again with algorithm 0, which runs every shape, and
 * the plan keeps algorithm 0 for good. Bias and ReLU are the backend's business, not this class's.
 */
final class CudaConvolutions implements AutoCloseable {
    private final CudaContext ctx;
    private final Cudnn cudnn;
    private final CudaKernels kernels;
    private final Map<List<Object>, ConvPlan> plans = new HashMap<>();
    /** The zero-padded input (or its gradient) of the plans with explicit padding. */
    private final DeviceScratch padded;

    CudaConvolutions(CudaContext ctx, Cudnn cudnn, CudaKernels kernels) {
        this.ctx = ctx;
        this.cudnn = cudnn;
        this.kernels = kernels;
        this.padded = new DeviceScratch(ctx, "the convolution padding buffer", 4);
    }

    // x [N, C, H, W], w [K, C, kh, kw] -> y [N, K, OH, OW] (overwritten)
    void forward(ConvGeometry g, ConvSpec s, CUdeviceptr x, CUdeviceptr w, CUdeviceptr y) {
        ConvPlan p = plan(g, s);
        ctx.makeCurrent();
        ConvPlan.Choice choice = p.chooseForward();
        CUdeviceptr in = input(p, g, x);
        run(
                p,
                choice,
                "cudnnConvolutionForward",
                (algo, ws, bytes) -> JCudnn.cudnnConvolutionForward(
                        cudnn.handle,
                        Cudnn.ONE,
                        p.xDesc,
                        in,
                        p.wDesc,
                        w,
                        p.convDesc,
                        algo,
                        ws,
                        bytes,
                        Cudnn.ZERO,
                        p.yDesc,
                        y));
    }

    // dy [N, K, OH, OW], w [K, C, kh, kw] -> dx [N, C, H, W] (overwritten)
    void backwardData(ConvGeometry g, ConvSpec s, CUdeviceptr dy, CUdeviceptr w, CUdeviceptr dx) {
        ConvPlan p = plan(g, s);
        ctx.makeCurrent();
        ConvPlan.Choice choice = p.chooseBackwardData();
        CUdeviceptr out = p.explicitPad ? padded(p) : dx;
        run(
                p,
                choice,
                "cudnnConvolutionBackwardData",
                (algo, ws, bytes) -> JCudnn.cudnnConvolutionBackwardData(
                        cudnn.handle,
                        Cudnn.ONE,
                        p.wDesc,
                        w,
                        p.yDesc,
                        dy,
                        p.convDesc,
                        algo,
                        ws,
                        bytes,
                        Cudnn.ZERO,
                        p.xDesc,
                        out));
        if (p.explicitPad) {
            kernels.crop2d((long) g.n() * g.c(), g.h(), g.w(), p.x.h(), p.x.w(), p.padTop, p.padLeft, out, dx);
        }
    }

    // x [N, C, H, W], dy [N, K, OH, OW] -> dw [K, C, kh, kw] (accumulates: beta = 1)
    void backwardFilter(ConvGeometry g, ConvSpec s, CUdeviceptr x, CUdeviceptr dy, CUdeviceptr dw) {
        ConvPlan p = plan(g, s);
        ctx.makeCurrent();
        ConvPlan.Choice choice = p.chooseBackwardFilter();
        CUdeviceptr in = input(p, g, x);
        run(
                p,
                choice,
                "cudnnConvolutionBackwardFilter",
                (algo, ws, bytes) -> JCudnn.cudnnConvolutionBackwardFilter(
                        cudnn.handle,
                        Cudnn.ONE,
                        p.xDesc,
                        in,
                        p.yDesc,
                        dy,
                        p.convDesc,
                        algo,
                        ws,
                        bytes,
                        Cudnn.ONE,
                        p.wDesc,
                        dw));
    }

    /** One cuDNN convolution call with the algorithm, the workspace and its size in bytes; returns cuDNN's status. */
    @FunctionalInterface
    private interface Call {
        int run(int algo, Pointer workspace, long workspaceBytes);
    }

    /** The call with the plan's algorithm, and the one fallback (see the class comment); then the status check. */
    private void run(ConvPlan p, ConvPlan.Choice choice, String name, Call call) {
        int st = call.run(choice.algo, cudnn.workspace(choice.workspaceBytes), choice.workspaceBytes);
        if (st != CudaCalls.CUDNN_SUCCESS && !CudaCalls.cudnnOutOfMemory(st) && choice.algo != 0) {
            choice.fallBackToGeneral();
            st = call.run(choice.algo, cudnn.workspace(choice.workspaceBytes), choice.workspaceBytes);
        }
        cudnn.check(st, name + " for " + p);
    }

    private ConvPlan plan(ConvGeometry g, ConvSpec s) {
        List<Object> key = List.of(g.n(), g.c(), g.h(), g.w(), g.k(), s);
        ConvPlan p = plans.get(key);
        if (p == null) {
            ctx.makeCurrent();
            p = cudnn.register(new ConvPlan(
                    cudnn,
                    new Dims(g.n(), g.c(), g.h(), g.w()),
                    new Dims(g.k(), g.c(), g.kernelH(), g.kernelW()),
                    new Dims(g.n(), g.k(), g.outH(), g.outW()),
                    s));
            plans.put(key, p);
        }
        return p;
    }

    /** x as cuDNN sees it: x itself, or its zero-padded copy in the padding buffer. */
    private CUdeviceptr input(ConvPlan p, ConvGeometry g, CUdeviceptr x) {
        if (!p.explicitPad) {
            return x;
        }
        CUdeviceptr xp = padded(p);
        kernels.pad2d((long) g.n() * g.c(), g.h(), g.w(), p.x.h(), p.x.w(), p.padTop, p.padLeft, x, xp);
        return xp;
    }

    /** The padding buffer, large enough for this plan's padded input. */
    private CUdeviceptr padded(ConvPlan p) {
        return padded.atLeast(4L * p.x.n() * p.x.c() * p.x.h() * p.x.w());
    }

    /** Drops the padding buffer (made again when needed); called when memory runs out. */
    void releasePadding() {
        padded.release();
    }

    /** The algorithms chosen so far, one line per shape. */
    List<String> describePlans() {
        List<String> out = new ArrayList<>();
        plans.values().forEach(p -> out.add(p + ": " + p.describe()));
        return out;
    }

    /** Frees the padding buffer and forgets the plans (cuDNN's close destroys their descriptors). */
    @Override
    public void close() {
        releasePadding();
        plans.clear();
    }
}
