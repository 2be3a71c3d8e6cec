/**
 * The fast CPU backend: every core through a fixed worker pool, SIMD through
 * {@code jdk.incubator.vector}, cache-blocked GEMM, tiled im2col convolution and Winograd
 * convolution for 3x3 stride-1 layers. Every op is tested against the reference backend, and the
 * work is split so that each output element's arithmetic is the same whatever the thread count.
 */
package dev.cxr.engine.backend.cpu.fast;
