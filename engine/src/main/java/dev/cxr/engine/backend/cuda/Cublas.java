package dev.cxr.engine.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

/**
 * SGEMM through cuBLAS 12 on the backend's stream, where JCublas 12.6 loads (CUDA 12 machines).
 * cuBLAS is column-major; a row-major C = op(A) op(B) is the column-major C^T = op(B)^T op(A)^T,
 * so the operands swap places and the leading dimensions are the row-major row lengths.
 * The default math mode keeps float32 (no TF32).
 */
final class Cublas implements AutoCloseable {
    private static final int OP_N = 0; // CUBLAS_OP_N
    private static final int OP_T = 1; // CUBLAS_OP_T

    private final CudaContext ctx;
    private final cublasHandle handle = new cublasHandle();
    private boolean created;

    Cublas(CudaContext ctx) {
        this.ctx = ctx;
        ctx.makeCurrent();
        CudaCalls.checkCublas(JCublas2.cublasCreate(handle), "cublasCreate");
        created = true;
        CudaCalls.checkCublas(JCublas2.cublasSetStream(handle, new cudaStream_t(ctx.stream)), "cublasSetStream");
    }

    // row-major C[m,n] = alpha op(A)[m,k] op(B)[k,n] + beta C; A is [k,m] when transA, B is [n,k] when transB
    void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            CUdeviceptr a,
            CUdeviceptr b,
            float beta,
            CUdeviceptr c) {
        ctx.makeCurrent();
        int lda = transA ? m : k; // row length of A as stored
        int ldb = transB ? k : n; // row length of B as stored
        int st = JCublas2.cublasSgemm(
                handle,
                transB ? OP_T : OP_N,
                transA ? OP_T : OP_N,
                n,
                m,
                k,
                Pointer.to(new float[] {alpha}),
                b,
                ldb,
                a,
                lda,
                Pointer.to(new float[] {beta}),
                c,
                n);
        CudaCalls.checkCublas(st, "cublasSgemm");
        ctx.opDone("cublasSgemm");
    }

    @Override
    public void close() {
        if (created) {
            ctx.makeCurrent();
            JCublas2.cublasDestroy(handle);
            created = false;
        }
    }
}
