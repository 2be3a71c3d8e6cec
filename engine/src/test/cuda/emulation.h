// Host emulation of the CUDA C dialect that engine/src/main/cuda/cxr_kernels.cu uses, so that the
// kernels can be checked on machines without a GPU (CudaKernelsOnHostTest compiles kernels_on_host.cpp
// with g++ when present): CUDA threads run one after another, or, for kernels that synchronise, one
// std::thread per CUDA thread of a block; blocks run one after another,
// __syncthreads as a std::barrier, __shared__ as static (one block runs at a time), and the _rn
// intrinsics as plain IEEE float operations (compiled with -ffp-contract=off, as Java computes).
#pragma once
#include <barrier>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>
struct dim3 { unsigned x = 1, y = 1, z = 1; };
inline dim3 blockIdx, blockDim, gridDim;
inline thread_local dim3 threadIdx;
inline std::barrier<>* g_barrier = nullptr;
#define __global__
#define __device__
#define __shared__ static
inline void __syncthreads() { g_barrier->arrive_and_wait(); }
inline float __fadd_rn(float a, float b) { volatile float r = a + b; return r; }
inline float __fsub_rn(float a, float b) { volatile float r = a - b; return r; }
inline float __fmul_rn(float a, float b) { volatile float r = a * b; return r; }
inline float __fdiv_rn(float a, float b) { volatile float r = a / b; return r; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
using std::isnan; using std::log; using std::fminf; using std::fmaxf;

// Kernels without __syncthreads: every CUDA thread in turn on the calling thread (fast).
template <typename F>
void launch(dim3 grid, dim3 block, F kernel) {
    gridDim = grid; blockDim = block;
    g_barrier = nullptr;   // a __syncthreads here would dereference null: use launch_threads
    for (unsigned by = 0; by < grid.y; by++) for (unsigned bx = 0; bx < grid.x; bx++) {
        blockIdx.x = bx; blockIdx.y = by;
        for (unsigned ty = 0; ty < block.y; ty++) for (unsigned tx = 0; tx < block.x; tx++) {
            threadIdx.x = tx; threadIdx.y = ty;
            kernel();
        }
    }
}

// Kernels with __syncthreads and __shared__ data: one std::thread per CUDA thread of the block.
template <typename F>
void launch_threads(dim3 grid, dim3 block, F kernel) {
    gridDim = grid; blockDim = block;
    for (unsigned by = 0; by < grid.y; by++) for (unsigned bx = 0; bx < grid.x; bx++) {
        blockIdx.x = bx; blockIdx.y = by;
        unsigned n = block.x * block.y;
        std::barrier<> bar(n);
        g_barrier = &bar;
        std::vector<std::thread> ts;
        for (unsigned ty = 0; ty < block.y; ty++) for (unsigned tx = 0; tx < block.x; tx++)
            ts.emplace_back([=] { threadIdx.x = tx; threadIdx.y = ty; kernel(); });
        for (auto& t : ts) t.join();
    }
}
