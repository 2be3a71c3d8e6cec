// A mock libcuda.so.1 (the NVIDIA driver API) for running the CUDA backend's Java code on a machine
// without a GPU: "device" memory is host memory, bounds-checked; the kernels of cxr_kernels.cu run
// through the host emulation (emulation.h), each launch unpacking its parameters with the kernel's
// exact C types, so a Java-side parameter of the wrong width or order shows; every call that needs a
// current context checks there is one. Only the entry points the backend uses exist; the JNI library
// binds lazily, so the others are never looked up. Built by run-cuda-tests-on-mock.sh.
#include <cuda.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <map>
#include "emulation.h"
#include "cxr_kernels.cu"

static thread_local CUcontext current = nullptr;
static int ctx_refs = 0;
static CUcontext primary = (CUcontext) 0x1234;
static std::map<unsigned long long, size_t> allocs;   // address -> size of each live allocation
struct CUmod_st { int loaded; };
struct CUfunc_st { std::string name; };
struct CUstream_st { int x; };
template <class T> static T P(void** p, int i) { return *(T*) p[i]; }
typedef const float* cf; typedef float* f;
#define NEED_CTX if (current != primary) { fprintf(stderr, "mock: %s without a current context\n", __func__); return CUDA_ERROR_INVALID_CONTEXT; }

extern "C" {
CUresult cuInit(unsigned int) { return getenv("MOCK_NO_DEVICE") ? CUDA_ERROR_NO_DEVICE : CUDA_SUCCESS; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return CUDA_SUCCESS; }
CUresult cuDeviceGetCount(int* n) { *n = 1; return CUDA_SUCCESS; }
CUresult cuDeviceGet(CUdevice* d, int i) { if (i != 0) return CUDA_ERROR_INVALID_DEVICE; *d = 0; return CUDA_SUCCESS; }
CUresult cuDeviceGetName(char* name, int len, CUdevice) { snprintf(name, len, "Mock H100"); return CUDA_SUCCESS; }
CUresult cuDeviceTotalMem_v2(size_t* b, CUdevice) { *b = 80ull << 30; return CUDA_SUCCESS; }
CUresult cuDeviceGetAttribute(int* v, CUdevice_attribute a, CUdevice) {
    *v = a == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR ? 9 : a == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR ? 0 : a == CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT ? 132 : 0;
    return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(CUcontext* c, CUdevice) { ctx_refs++; *c = primary; return CUDA_SUCCESS; }
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice) { if (ctx_refs <= 0) return CUDA_ERROR_INVALID_CONTEXT; ctx_refs--; return CUDA_SUCCESS; }
CUresult cuCtxSetCurrent(CUcontext c) { current = c; return CUDA_SUCCESS; }
CUresult cuCtxGetCurrent(CUcontext* c) { *c = current; return CUDA_SUCCESS; }
CUresult cuCtxSynchronize() { return CUDA_SUCCESS; }
CUresult cuStreamCreate(CUstream* s, unsigned int) { NEED_CTX; *s = new CUstream_st(); return CUDA_SUCCESS; }
CUresult cuStreamDestroy_v2(CUstream s) { delete s; return CUDA_SUCCESS; }
CUresult cuStreamSynchronize(CUstream) { NEED_CTX; return CUDA_SUCCESS; }
CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t n) {
    NEED_CTX;
    if (n == 0) return CUDA_ERROR_INVALID_VALUE;
    if (getenv("MOCK_OOM_ABOVE") && n > strtoull(getenv("MOCK_OOM_ABOVE"), 0, 10)) return CUDA_ERROR_OUT_OF_MEMORY;
    void* m = malloc(n); memset(m, 0xff, n);   // garbage, like fresh device memory
    *p = (CUdeviceptr) m; allocs[*p] = n; return CUDA_SUCCESS;
}
CUresult cuMemFree_v2(CUdeviceptr p) { NEED_CTX; if (!allocs.erase(p)) { fprintf(stderr, "mock: bad free\n"); return CUDA_ERROR_INVALID_VALUE; } free((void*) p); return CUDA_SUCCESS; }
CUresult cuMemGetInfo_v2(size_t* f, size_t* t) { NEED_CTX; *f = 70ull << 30; *t = 80ull << 30; return CUDA_SUCCESS; }
CUresult cuMemAllocHost_v2(void** p, size_t n) { NEED_CTX; *p = malloc(n); return CUDA_SUCCESS; }
CUresult cuMemFreeHost(void* p) { free(p); return CUDA_SUCCESS; }
static bool inAlloc(CUdeviceptr p, size_t n) {
    auto it = allocs.upper_bound(p); if (it == allocs.begin()) return false; --it;
    return p >= it->first && p + n <= it->first + it->second;
}
#define CHECK_RANGE(p, n) if (!inAlloc(p, n)) { fprintf(stderr, "mock: %s out of bounds (%zu bytes)\n", __func__, (size_t) (n)); return CUDA_ERROR_ILLEGAL_ADDRESS; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void* s, size_t n) { NEED_CTX; CHECK_RANGE(d, n); memcpy((void*) d, s, n); return CUDA_SUCCESS; }
CUresult cuMemcpyDtoH_v2(void* d, CUdeviceptr s, size_t n) { NEED_CTX; CHECK_RANGE(s, n); memcpy(d, (void*) s, n); return CUDA_SUCCESS; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void* s, size_t n, CUstream) { return cuMemcpyHtoD_v2(d, s, n); }
CUresult cuMemcpyDtoHAsync_v2(void* d, CUdeviceptr s, size_t n, CUstream) { return cuMemcpyDtoH_v2(d, s, n); }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, CUstream) { NEED_CTX; CHECK_RANGE(d, n); CHECK_RANGE(s, n); memmove((void*) d, (void*) s, n); return CUDA_SUCCESS; }
CUresult cuMemsetD32Async(CUdeviceptr d, unsigned int v, size_t n, CUstream) { NEED_CTX; CHECK_RANGE(d, 4 * n); unsigned* p = (unsigned*) d; for (size_t i = 0; i < n; i++) p[i] = v; return CUDA_SUCCESS; }
CUresult cuModuleLoadData(CUmodule* m, const void* image) {
    NEED_CTX;
    const char* s = (const char*) image;
    if (!strstr(s, ".version 8.0") || !strstr(s, ".visible .entry cxr_sgemm(")) return CUDA_ERROR_INVALID_PTX;
    *m = (CUmodule) new CUmod_st{1}; return CUDA_SUCCESS;
}
CUresult cuModuleUnload(CUmodule m) { delete (CUmod_st*) m; return CUDA_SUCCESS; }
CUresult cuModuleGetFunction(CUfunction* f, CUmodule, const char* name) { *f = (CUfunction) new CUfunc_st{name}; return CUDA_SUCCESS; }
CUresult cuGetErrorName(CUresult e, const char** s) { *s = "MOCK_ERROR"; return CUDA_SUCCESS; }
CUresult cuGetErrorString(CUresult e, const char** s) { *s = "mock error"; return CUDA_SUCCESS; }

CUresult cuLaunchKernel(CUfunction fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, CUstream, void** p, void** extra) {
    NEED_CTX;
    if (gz != 1 || bz != 1 || shared != 0 || extra) return CUDA_ERROR_INVALID_VALUE;
    dim3 g; g.x = gx; g.y = gy; dim3 b; b.x = bx; b.y = by;
    if (gx > 4) g.x = 4;   // the emulation is slow: few blocks, the grid-stride loops cover the rest
    std::string n = ((CUfunc_st*) fn)->name;
    if (n == "cxr_add") launch(g, b, [&] { cxr_add(P<i64>(p, 0), P<cf>(p, 1), P<f>(p, 2)); });
    else if (n == "cxr_mul") launch(g, b, [&] { cxr_mul(P<i64>(p, 0), P<cf>(p, 1), P<cf>(p, 2), P<f>(p, 3)); });
    else if (n == "cxr_relu_forward") launch(g, b, [&] { cxr_relu_forward(P<i64>(p, 0), P<cf>(p, 1), P<f>(p, 2)); });
    else if (n == "cxr_relu_backward") launch(g, b, [&] { cxr_relu_backward(P<i64>(p, 0), P<cf>(p, 1), P<cf>(p, 2), P<f>(p, 3)); });
    else if (n == "cxr_bias_act") launch(g, b, [&] { cxr_bias_act(P<i64>(p, 0), P<int>(p, 1), P<i64>(p, 2), P<f>(p, 3), P<cf>(p, 4), P<int>(p, 5)); });
    else if (n == "cxr_pad2d") launch(g, b, [&] { cxr_pad2d(P<i64>(p, 0), P<int>(p, 1), P<int>(p, 2), P<int>(p, 3), P<int>(p, 4), P<int>(p, 5), P<int>(p, 6), P<cf>(p, 7), P<f>(p, 8)); });
    else if (n == "cxr_crop2d") launch(g, b, [&] { cxr_crop2d(P<i64>(p, 0), P<int>(p, 1), P<int>(p, 2), P<int>(p, 3), P<int>(p, 4), P<int>(p, 5), P<int>(p, 6), P<cf>(p, 7), P<f>(p, 8)); });
    else if (n == "cxr_maxpool_backward") launch(g, b, [&] { cxr_maxpool_backward(P<i64>(p, 0), P<int>(p, 1), P<int>(p, 2), P<int>(p, 3), P<int>(p, 4), P<int>(p, 5), P<int>(p, 6), P<int>(p, 7), P<int>(p, 8), P<cf>(p, 9), P<cf>(p, 10), P<f>(p, 11)); });
    else if (n == "cxr_avgpool_backward") launch(g, b, [&] { cxr_avgpool_backward(P<i64>(p, 0), P<int>(p, 1), P<int>(p, 2), P<int>(p, 3), P<int>(p, 4), P<int>(p, 5), P<int>(p, 6), P<int>(p, 7), P<int>(p, 8), P<cf>(p, 9), P<f>(p, 10)); });
    else if (n == "cxr_bce") launch_threads(g, b, [&] { cxr_bce(P<int>(p, 0), P<float>(p, 1), P<cf>(p, 2), P<cf>(p, 3), P<f>(p, 4), P<int>(p, 5), P<double*>(p, 6)); });
    else if (n == "cxr_cce") launch_threads(g, b, [&] { cxr_cce(P<int>(p, 0), P<int>(p, 1), P<float>(p, 2), P<cf>(p, 3), P<cf>(p, 4), P<f>(p, 5), P<int>(p, 6), P<double*>(p, 7)); });
    else if (n == "cxr_adam") launch(g, b, [&] { cxr_adam(P<i64>(p, 0), P<f>(p, 1), P<cf>(p, 2), P<f>(p, 3), P<f>(p, 4), P<float>(p, 5), P<float>(p, 6), P<float>(p, 7), P<float>(p, 8)); });
    else if (n == "cxr_sgemm") { g.x = gx; launch_threads(g, b, [&] { cxr_sgemm(P<int>(p, 0), P<int>(p, 1), P<int>(p, 2), P<int>(p, 3), P<int>(p, 4), P<float>(p, 5), P<cf>(p, 6), P<cf>(p, 7), P<float>(p, 8), P<f>(p, 9)); }); }
    else { fprintf(stderr, "mock: unknown kernel %s\n", n.c_str()); return CUDA_ERROR_NOT_FOUND; }
    return CUDA_SUCCESS;
}
}
