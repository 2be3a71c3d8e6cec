package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cuda.Cudnn.Dims;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * One convolution shape as cuDNN runs it: the descriptors and, found once per shape and direction,
 * the fastest algorithm whose workspace fits {@link Cudnn#WORKSPACE_LIMIT_BYTES}. cuDNN pads
 * symmetrically only; an asymmetric padding (TensorFlow's 'same' with an even kernel or a stride)
 * is applied by the backend as an explicit zero-padded copy, and cuDNN then sees padding 0.
 *
 * <p>The math type is CUDNN_FMA_MATH: true float32, no TF32 tensor cores, so results stay within
 * float32 rounding of the reference and comparisons with other frameworks are fp32 against fp32.
 */
final class ConvPlan implements AutoCloseable {
    static final int CROSS_CORRELATION = 1; // CUDNN_CROSS_CORRELATION: what deep-learning frameworks call convolution
    static final int DEFAULT_MATH = 0; // CUDNN_DEFAULT_MATH
    static final int FMA_MATH = 3; // CUDNN_FMA_MATH
    private static final int MAX_ALGOS = 8; // more than any of the three directions has

    final Dims x; // the input as cuDNN sees it (padded when the padding is explicit)
    final Dims w;
    final Dims y;
    final boolean explicitPad;
    final int padTop;
    final int padLeft;
    final cudnnTensorDescriptor xDesc;
    final cudnnFilterDescriptor wDesc;
    final cudnnTensorDescriptor yDesc;
    final cudnnConvolutionDescriptor convDesc = new cudnnConvolutionDescriptor();
    private final Cudnn cudnn;
    private boolean created;

    /** The algorithm of each direction, chosen on first use. */
    final Choice forward = new Choice(this::forwardWorkspace);

    final Choice backwardData = new Choice(this::backwardDataWorkspace);
    final Choice backwardFilter = new Choice(this::backwardFilterWorkspace);
    /** Set when cudnnFind* failed and the heuristics chose instead (reported by describe()). */
    String findFailed;

    /** @param input [N, C, H, W] as the layer has it; weights [K, C, kh, kw]; output [N, K, OH, OW] */
    ConvPlan(Cudnn cudnn, Dims input, Dims weights, Dims output, ConvSpec s) {
        this.cudnn = cudnn;
        this.explicitPad = s.padTop() != s.padBottom() || s.padLeft() != s.padRight();
        this.padTop = s.padTop();
        this.padLeft = s.padLeft();
        this.x = explicitPad
                ? new Dims(
                        input.n(),
                        input.c(),
                        input.h() + s.padTop() + s.padBottom(),
                        input.w() + s.padLeft() + s.padRight())
                : input;
        this.w = weights;
        this.y = output;
        this.xDesc = cudnn.tensor(x);
        this.wDesc = cudnn.filter(w);
        this.yDesc = cudnn.tensor(y);
        CudaCalls.checkCudnn(JCudnn.cudnnCreateConvolutionDescriptor(convDesc), "cudnnCreateConvolutionDescriptor");
        created = true;
        int padH = explicitPad ? 0 : s.padTop();
        int padW = explicitPad ? 0 : s.padLeft();
        CudaCalls.checkCudnn(
                JCudnn.cudnnSetConvolution2dDescriptor(
                        convDesc, padH, padW, s.strideH(), s.strideW(), 1, 1, CROSS_CORRELATION, Cudnn.DATA_FLOAT),
                "cudnnSetConvolution2dDescriptor");
        CudaCalls.checkCudnn(JCudnn.cudnnSetConvolutionMathType(convDesc, FMA_MATH), "cudnnSetConvolutionMathType");
        int[] n = new int[1];
        int[] c = new int[1];
        int[] h = new int[1];
        int[] wd = new int[1];
        CudaCalls.checkCudnn(
                JCudnn.cudnnGetConvolution2dForwardOutputDim(convDesc, xDesc, wDesc, n, c, h, wd),
                "cudnnGetConvolution2dForwardOutputDim");
        if (n[0] != y.n() || c[0] != y.c() || h[0] != y.h() || wd[0] != y.w()) {
            throw new IllegalStateException("cuDNN computes output " + new Dims(n[0], c[0], h[0], wd[0]) + " for input "
                    + x + ", filter " + w + ", " + s + "; the engine expects " + y);
        }
    }

    /** "fwd 1 (0 MiB), bwd-data 1 (12.0 MiB), bwd-filter -" : the algorithms chosen so far. */
    String describe() {
        return "fwd " + forward + ", bwd-data " + backwardData + ", bwd-filter " + backwardFilter
                + (findFailed == null ? "" : " (cudnnFind failed, " + findFailed + "; heuristics chose)");
    }

    // ---- algorithm choice: cudnnFind* (times each candidate), falling back to the heuristics ----
    // Candidates come fastest first. Taken: the first that succeeded, runs in true float32 (math
    // type FMA, or DEFAULT, which with this descriptor runs as FMA; never TENSOR_OP, which is TF32)
    // and whose workspace, asked of cuDNN for that algorithm, fits the limit.

    /**
     * One direction's algorithm and the workspace it needs; the algorithm is -1 until chosen. Where
     * cuDNN refuses the chosen one at run time, {@link #fallBackToGeneral} replaces it for good.
     */
    static final class Choice {
        private final WorkspaceQuery workspace;
        int algo = -1;
        long workspaceBytes;

        private Choice(WorkspaceQuery workspace) {
            this.workspace = workspace;
        }

        boolean chosen() {
            return algo >= 0;
        }

        /** Algorithm 0, which runs every shape with little or no workspace. */
        void fallBackToGeneral() {
            algo = 0;
            workspaceBytes = Math.max(workspace.bytes(0), 0);
        }

        @Override
        public String toString() {
            return algo < 0 ? "-" : algo + " (" + CudaContext.mib(workspaceBytes) + ")";
        }
    }

    @FunctionalInterface
    private interface WorkspaceQuery {
        /** Bytes of workspace the algorithm needs, or -1 when cuDNN says it cannot run it. */
        long bytes(int algo);
    }

    /** cudnnFind*Algorithm or cudnnGet*Algorithm_v7 of one direction, into {@code perf}. */
    @FunctionalInterface
    private interface Search<P> {
        int run(int requested, int[] count, P[] perf);
    }

    /** What the three directions' perf classes share, which is no common type. */
    private record PerfFields<P>(ToIntFunction<P> algo, ToIntFunction<P> status, ToIntFunction<P> mathType) {}

    /**
     * Chooses the algorithm of one direction, once: the candidates of cudnnFind (timed, fastest first)
     * or, where it fails, of the heuristics; then the first that succeeded, runs in FMA math (else in
     * DEFAULT math) and needs a workspace within the limit; else algorithm 0.
     */
    private <P> void choose(
            Choice choice, String direction, P[] perf, PerfFields<P> fields, Search<P> find, Search<P> heuristics) {
        if (choice.chosen()) {
            return;
        }
        int[] count = new int[1];
        int st = find.run(MAX_ALGOS, count, perf);
        if (st != CudaCalls.CUDNN_SUCCESS) {
            findFailed = direction + ": " + CudaCalls.cudnnName(st);
            count[0] = 0;
            CudaCalls.checkCudnn(
                    heuristics.run(MAX_ALGOS, count, perf), "cudnnGet*Algorithm_v7 (" + direction + ") for " + this);
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < count[0]; i++) {
                int math = fields.mathType.applyAsInt(perf[i]);
                boolean mathOk = pass == 0 ? math == FMA_MATH : math == DEFAULT_MATH;
                if (fields.status.applyAsInt(perf[i]) != CudaCalls.CUDNN_SUCCESS || !mathOk) {
                    continue;
                }
                int algo = fields.algo.applyAsInt(perf[i]);
                long ws = choice.workspace.bytes(algo);
                if (ws >= 0 && ws <= Cudnn.WORKSPACE_LIMIT_BYTES) {
                    choice.algo = algo;
                    choice.workspaceBytes = ws;
                    return;
                }
            }
        }
        choice.fallBackToGeneral();
    }

    private static <P> P[] filled(P[] perf, Supplier<P> make) {
        for (int i = 0; i < perf.length; i++) {
            perf[i] = make.get();
        }
        return perf;
    }

    Choice chooseForward() {
        choose(
                forward,
                "forward",
                filled(new cudnnConvolutionFwdAlgoPerf[MAX_ALGOS], cudnnConvolutionFwdAlgoPerf::new),
                new PerfFields<>(p -> p.algo, p -> p.status, p -> p.mathType),
                (n, count, perf) -> JCudnn.cudnnFindConvolutionForwardAlgorithm(
                        cudnn.handle, xDesc, wDesc, convDesc, yDesc, n, count, perf),
                (n, count, perf) -> JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(
                        cudnn.handle, xDesc, wDesc, convDesc, yDesc, n, count, perf));
        return forward;
    }

    Choice chooseBackwardData() {
        choose(
                backwardData,
                "backward data",
                filled(new cudnnConvolutionBwdDataAlgoPerf[MAX_ALGOS], cudnnConvolutionBwdDataAlgoPerf::new),
                new PerfFields<>(p -> p.algo, p -> p.status, p -> p.mathType),
                (n, count, perf) -> JCudnn.cudnnFindConvolutionBackwardDataAlgorithm(
                        cudnn.handle, wDesc, yDesc, convDesc, xDesc, n, count, perf),
                (n, count, perf) -> JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(
                        cudnn.handle, wDesc, yDesc, convDesc, xDesc, n, count, perf));
        return backwardData;
    }

    Choice chooseBackwardFilter() {
        choose(
                backwardFilter,
                "backward filter",
                filled(new cudnnConvolutionBwdFilterAlgoPerf[MAX_ALGOS], cudnnConvolutionBwdFilterAlgoPerf::new),
                new PerfFields<>(p -> p.algo, p -> p.status, p -> p.mathType),
                (n, count, perf) -> JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm(
                        cudnn.handle, xDesc, yDesc, convDesc, wDesc, n, count, perf),
                (n, count, perf) -> JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(
                        cudnn.handle, xDesc, yDesc, convDesc, wDesc, n, count, perf));
        return backwardFilter;
    }

    private long forwardWorkspace(int algo) {
        long[] size = new long[1];
        int st =
                JCudnn.cudnnGetConvolutionForwardWorkspaceSize(cudnn.handle, xDesc, wDesc, convDesc, yDesc, algo, size);
        return st == CudaCalls.CUDNN_SUCCESS ? size[0] : -1;
    }

    private long backwardDataWorkspace(int algo) {
        long[] size = new long[1];
        int st = JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(
                cudnn.handle, wDesc, yDesc, convDesc, xDesc, algo, size);
        return st == CudaCalls.CUDNN_SUCCESS ? size[0] : -1;
    }

    private long backwardFilterWorkspace(int algo) {
        long[] size = new long[1];
        int st = JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(
                cudnn.handle, xDesc, yDesc, convDesc, wDesc, algo, size);
        return st == CudaCalls.CUDNN_SUCCESS ? size[0] : -1;
    }

    @Override
    public String toString() {
        return "conv x" + x + " w" + w + " y" + y;
    }

    @Override
    public void close() {
        if (created) {
            JCudnn.cudnnDestroyConvolutionDescriptor(convDesc);
            created = false;
        }
    }
}
