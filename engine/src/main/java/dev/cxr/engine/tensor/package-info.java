/**
 * Shapes and float32 tensors. One layout everywhere: row-major, images NCHW, dense [N, F],
 * conv kernels OIHW, dense kernels [in, out]. Memory belongs to a backend and is released by close().
 */
package dev.cxr.engine.tensor;
