package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.cuda.Cudnn.Dims;
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
    static final int DEFAULT_MATH = 0;      // CUDNN_DEFAULT_MATH
    static final int FMA_MATH = 3;          // CUDNN_FMA_MATH
    private static final int MAX_ALGOS = 8; // more than any of the three directions has

    final Dims x;           // the input as cuDNN sees it (padded when the padding is explicit)
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

    int forwardAlgo = -1;
    long forwardWorkspace;
    int backwardDataAlgo = -1;
    long backwardDataWorkspace;
    int backwardFilterAlgo = -1;
    long backwardFilterWorkspace;
    /** Set when cudnnFind* failed and the heuristics chose instead (reported by describe()). */
    String findFailed;

    /** @param input [N, C, H, W] as the layer has it; weights [K, C, kh, kw]; output [N, K, OH, OW] */
    ConvPlan(Cudnn cudnn, Dims input, Dims weights, Dims output, ConvSpec s) {
        this.cudnn = cudnn;
        this.explicitPad = s.padTop() != s.padBottom() || s.padLeft() != s.padRight();
        this.padTop = s.padTop();
        this.padLeft = s.padLeft();
        this.x = explicitPad
                ? new Dims(input.n(), input.c(), input.h() + s.padTop() + s.padBottom(), input.w() + s.padLeft() + s.padRight())
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
        CudaCalls.checkCudnn(JCudnn.cudnnSetConvolution2dDescriptor(convDesc, padH, padW, s.strideH(), s.strideW(), 1, 1,
                CROSS_CORRELATION, Cudnn.DATA_FLOAT), "cudnnSetConvolution2dDescriptor");
        CudaCalls.checkCudnn(JCudnn.cudnnSetConvolutionMathType(convDesc, FMA_MATH), "cudnnSetConvolutionMathType");
        int[] n = new int[1];
        int[] c = new int[1];
        int[] h = new int[1];
        int[] wd = new int[1];
        CudaCalls.checkCudnn(JCudnn.cudnnGetConvolution2dForwardOutputDim(convDesc, xDesc, wDesc, n, c, h, wd),
                "cudnnGetConvolution2dForwardOutputDim");
        if (n[0] != y.n() || c[0] != y.c() || h[0] != y.h() || wd[0] != y.w()) {
            throw new IllegalStateException("cuDNN computes output " + new Dims(n[0], c[0], h[0], wd[0]) + " for input " + x
                    + ", filter " + w + ", " + s + "; the engine expects " + y);
        }
    }

    /** "fwd 1 (0 MiB), bwd-data 1 (12.0 MiB), bwd-filter -" : the algorithms chosen so far. */
    String describe() {
        return "fwd " + algo(forwardAlgo, forwardWorkspace) + ", bwd-data " + algo(backwardDataAlgo, backwardDataWorkspace)
                + ", bwd-filter " + algo(backwardFilterAlgo, backwardFilterWorkspace)
                + (findFailed == null ? "" : " (cudnnFind failed, " + findFailed + "; heuristics chose)");
    }

    private static String algo(int a, long ws) {
        return a < 0 ? "-" : a + " (" + CudaContext.mib(ws) + ")";
    }

    // ---- algorithm choice: cudnnFind* (times each candidate), falling back to the heuristics ----
    // Candidates come fastest first. Taken: the first that succeeded, runs in true float32 (math
    // type FMA, or DEFAULT, which with this descriptor runs as FMA; never TENSOR_OP, which is TF32)
    // and whose workspace, asked of cuDNN for that algorithm, fits the limit.

    /** One direction's candidates, as plain arrays (the three perf classes share no type). */
    private record Candidates(int count, int[] algo, int[] status, int[] mathType) {
        static Candidates of(int count) {
            return new Candidates(count, new int[count], new int[count], new int[count]);
        }
    }

    @FunctionalInterface
    private interface WorkspaceQuery {
        /** Bytes of workspace the algorithm needs, or -1 when cuDNN says it cannot run it. */
        long bytes(int algo);
    }

    /** [algo, workspace bytes]: the choice among the candidates, else algorithm 0 (every shape, little or no workspace). */
    private static long[] choose(Candidates c, WorkspaceQuery workspace) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < c.count; i++) {
                boolean mathOk = pass == 0 ? c.mathType[i] == FMA_MATH : c.mathType[i] == DEFAULT_MATH;
                if (c.status[i] != CudaCalls.CUDNN_SUCCESS || !mathOk) {
                    continue;
                }
                long ws = workspace.bytes(c.algo[i]);
                if (ws >= 0 && ws <= Cudnn.WORKSPACE_LIMIT_BYTES) {
                    return new long[] {c.algo[i], ws};
                }
            }
        }
        return new long[] {0, Math.max(workspace.bytes(0), 0)};
    }

    void chooseForward() {
        if (forwardAlgo >= 0) {
            return;
        }
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[MAX_ALGOS];
        for (int i = 0; i < perf.length; i++) {
            perf[i] = new cudnnConvolutionFwdAlgoPerf();
        }
        int[] count = new int[1];
        int st = JCudnn.cudnnFindConvolutionForwardAlgorithm(cudnn.handle, xDesc, wDesc, convDesc, yDesc, MAX_ALGOS, count, perf);
        if (st != CudaCalls.CUDNN_SUCCESS) {
            findFailed = "forward: " + CudaCalls.cudnnName(st);
            count[0] = 0;
            st = JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(cudnn.handle, xDesc, wDesc, convDesc, yDesc, MAX_ALGOS, count, perf);
            CudaCalls.checkCudnn(st, "cudnnGetConvolutionForwardAlgorithm_v7 for " + this);
        }
        Candidates c = Candidates.of(count[0]);
        for (int i = 0; i < count[0]; i++) {
            c.algo[i] = perf[i].algo;
            c.status[i] = perf[i].status;
            c.mathType[i] = perf[i].mathType;
        }
        long[] choice = choose(c, this::forwardWorkspace);
        forwardAlgo = (int) choice[0];
        forwardWorkspace = choice[1];
    }

    long forwardWorkspace(int algo) {
        long[] size = new long[1];
        int st = JCudnn.cudnnGetConvolutionForwardWorkspaceSize(cudnn.handle, xDesc, wDesc, convDesc, yDesc, algo, size);
        return st == CudaCalls.CUDNN_SUCCESS ? size[0] : -1;
    }

    void chooseBackwardData() {
        if (backwardDataAlgo >= 0) {
            return;
        }
        cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[MAX_ALGOS];
        for (int i = 0; i < perf.length; i++) {
            perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
        }
        int[] count = new int[1];
        int st = JCudnn.cudnnFindConvolutionBackwardDataAlgorithm(cudnn.handle, wDesc, yDesc, convDesc, xDesc, MAX_ALGOS, count, perf);
        if (st != CudaCalls.CUDNN_SUCCESS) {
            findFailed = "backward data: " + CudaCalls.cudnnName(st);
            count[0] = 0;
            st = JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnn.handle, wDesc, yDesc, convDesc, xDesc, MAX_ALGOS, count, perf);
            CudaCalls.checkCudnn(st, "cudnnGetConvolutionBackwardDataAlgorithm_v7 for " + this);
        }
        Candidates c = Candidates.of(count[0]);
        for (int i = 0; i < count[0]; i++) {
            c.algo[i] = perf[i].algo;
            c.status[i] = perf[i].status;
            c.mathType[i] = perf[i].mathType;
        }
        long[] choice = choose(c, this::backwardDataWorkspace);
        backwardDataAlgo = (int) choice[0];
        backwardDataWorkspace = choice[1];
    }

    long backwardDataWorkspace(int algo) {
        long[] size = new long[1];
        int st = JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(cudnn.handle, wDesc, yDesc, convDesc, xDesc, algo, size);
        return st == CudaCalls.CUDNN_SUCCESS ? size[0] : -1;
    }

    void chooseBackwardFilter() {
        if (backwardFilterAlgo >= 0) {
            return;
        }
        cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[MAX_ALGOS];
        for (int i = 0; i < perf.length; i++) {
            perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
        }
        int[] count = new int[1];
        int st = JCudnn.cudnnFindConvolutionBackwardFilterAlgorithm(cudnn.handle, xDesc, yDesc, convDesc, wDesc, MAX_ALGOS, count, perf);
        if (st != CudaCalls.CUDNN_SUCCESS) {
            findFailed = "backward filter: " + CudaCalls.cudnnName(st);
            count[0] = 0;
            st = JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnn.handle, xDesc, yDesc, convDesc, wDesc, MAX_ALGOS, count, perf);
            CudaCalls.checkCudnn(st, "cudnnGetConvolutionBackwardFilterAlgorithm_v7 for " + this);
        }
        Candidates c = Candidates.of(count[0]);
        for (int i = 0; i < count[0]; i++) {
            c.algo[i] = perf[i].algo;
            c.status[i] = perf[i].status;
            c.mathType[i] = perf[i].mathType;
        }
        long[] choice = choose(c, this::backwardFilterWorkspace);
        backwardFilterAlgo = (int) choice[0];
        backwardFilterWorkspace = choice[1];
    }

    long backwardFilterWorkspace(int algo) {
        long[] size = new long[1];
        int st = JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnn.handle, xDesc, yDesc, convDesc, wDesc, algo, size);
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
