/**
 * The CUDA backend: cuDNN for convolutions, pooling and softmax, cuBLAS or an own kernel for the
 * dense layers, own CUDA C kernels (shipped as PTX) for the elementwise work, losses and Adam. The
 * only package that imports JCuda; {@link dev.cxr.engine.backend.cuda.CudaProbe} finds out once,
 * without failing, whether a usable GPU is there and why not.
 */
package dev.cxr.engine.backend.cuda;
