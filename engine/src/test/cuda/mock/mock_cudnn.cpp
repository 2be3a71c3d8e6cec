// A mock libcudnn.so.9 (cuDNN 9's legacy API, the part the backend calls): descriptors remember
// their dimensions; convolution, pooling, softmax and the bias gradient are plain loops in double
// with alpha/beta blending; every call checks that its descriptors agree with each other, so swapped
// arguments fail. The algorithm search offers, fastest first, one that then refuses to run (the
// backend must fall back), one in TF32 math (the backend must skip it) and one needing a workspace.
// Exported under the version node libcudnn.so.9, as the real library's symbols are.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>
#include <algorithm>
extern "C" {
typedef int st;
enum { OK = 0, BAD = 2000, NOTSUP = 3000 };
struct T { int n, c, h, w, fmt, dt; };
struct F { int k, c, h, w, fmt, dt; };
struct C { int ph, pw, sh, sw, dh, dw, mode, ct, math; };
struct Pl { int mode, nan, wh, ww, ph, pw, sh, sw; };
static int handles = 0;
#define CHK(c) if (!(c)) { fprintf(stderr, "mock cudnn: %s: check failed: %s\n", __func__, #c); return BAD; }
size_t cudnnGetVersion() { return 91002; }
size_t cudnnGetCudartVersion() { return 13000; }
const char* cudnnGetErrorString(st s) { return s == 0 ? "CUDNN_STATUS_SUCCESS" : s == BAD ? "CUDNN_STATUS_BAD_PARAM" : s == 4004 ? "CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED" : "CUDNN_STATUS_NOT_SUPPORTED"; }
st cudnnCreate(void** h) { *h = new int(1); handles++; return OK; }
st cudnnDestroy(void* h) { delete (int*) h; handles--; return OK; }
st cudnnSetStream(void* h, void* s) { CHK(h && s); return OK; }
st cudnnCreateTensorDescriptor(T** d) { *d = new T{}; return OK; }
st cudnnSetTensor4dDescriptor(T* d, int fmt, int dt, int n, int c, int h, int w) { CHK(fmt == 0 && dt == 0 && n > 0 && c > 0 && h > 0 && w > 0); *d = T{n, c, h, w, fmt, dt}; return OK; }
st cudnnDestroyTensorDescriptor(T* d) { delete d; return OK; }
st cudnnCreateFilterDescriptor(F** d) { *d = new F{}; return OK; }
st cudnnSetFilter4dDescriptor(F* d, int dt, int fmt, int k, int c, int h, int w) { CHK(fmt == 0 && dt == 0 && k > 0); *d = F{k, c, h, w, fmt, dt}; return OK; }
st cudnnDestroyFilterDescriptor(F* d) { delete d; return OK; }
st cudnnCreateConvolutionDescriptor(C** d) { *d = new C{}; return OK; }
st cudnnSetConvolution2dDescriptor(C* d, int ph, int pw, int sh, int sw, int dh, int dw, int mode, int ct) { CHK(mode == 1 && ct == 0 && dh == 1 && dw == 1 && sh > 0 && sw > 0); *d = C{ph, pw, sh, sw, dh, dw, mode, ct, 0}; return OK; }
st cudnnSetConvolutionMathType(C* d, int m) { CHK(m == 3); d->math = m; return OK; }
st cudnnDestroyConvolutionDescriptor(C* d) { delete d; return OK; }
static int outDim(int in, int k, int p, int s) { return (in + 2 * p - k) / s + 1; }
st cudnnGetConvolution2dForwardOutputDim(C* cv, T* x, F* w, int* n, int* c, int* h, int* wd) {
    CHK(x->c == w->c); *n = x->n; *c = w->k; *h = outDim(x->h, w->h, cv->ph, cv->sh); *wd = outDim(x->w, w->w, cv->pw, cv->sw); return OK;
}
static bool agree(T* x, F* w, C* cv, T* y) {
    return x->c == w->c && y->n == x->n && y->c == w->k && y->h == outDim(x->h, w->h, cv->ph, cv->sh) && y->w == outDim(x->w, w->w, cv->pw, cv->sw);
}
struct Perf { int algo; st status; float time; size_t memory; int determinism; int mathType; int reserved[3]; };
static void fill(int req, int* ret, Perf* p) {
    int n = std::min(req, 3);
    // algorithm 5 refuses later (NOT_SUPPORTED at run time) but comes first; 1 is TF32-only (skipped); 2 is fine
    p[0] = Perf{5, 0, 0.5f, 0, 1, 3, {0, 0, 0}};
    if (n > 1) p[1] = Perf{1, 0, 0.7f, 0, 1, 1, {0, 0, 0}};
    if (n > 2) p[2] = Perf{2, 0, 1.0f, 4096, 1, 3, {0, 0, 0}};
    *ret = n;
}
#define FIND(name, A, B, Cd, D) st name(void* h, A a, B b, C* cv, D d, int req, int* ret, Perf* p) { fill(req, ret, p); return OK; }
FIND(cudnnFindConvolutionForwardAlgorithm, T*, F*, C, T*)
FIND(cudnnGetConvolutionForwardAlgorithm_v7, T*, F*, C, T*)
FIND(cudnnFindConvolutionBackwardDataAlgorithm, F*, T*, C, T*)
FIND(cudnnGetConvolutionBackwardDataAlgorithm_v7, F*, T*, C, T*)
FIND(cudnnFindConvolutionBackwardFilterAlgorithm, T*, T*, C, F*)
FIND(cudnnGetConvolutionBackwardFilterAlgorithm_v7, T*, T*, C, F*)
static size_t wsFor(int algo) { return algo == 2 ? 4096 : 0; }
st cudnnGetConvolutionForwardWorkspaceSize(void* h, T* x, F* w, C* cv, T* y, int algo, size_t* s) { CHK(agree(x, w, cv, y)); *s = wsFor(algo); return OK; }
st cudnnGetConvolutionBackwardDataWorkspaceSize(void* h, F* w, T* dy, C* cv, T* dx, int algo, size_t* s) { CHK(agree(dx, w, cv, dy)); *s = wsFor(algo); return OK; }
st cudnnGetConvolutionBackwardFilterWorkspaceSize(void* h, T* x, T* dy, C* cv, F* dw, int algo, size_t* s) { CHK(agree(x, dw, cv, dy)); *s = wsFor(algo); return OK; }
static st algoCheck(int algo, void* ws, size_t wsSize) {
    if (algo == 5) return NOTSUP;
    if (wsSize < wsFor(algo) || (wsFor(algo) > 0 && !ws)) { fprintf(stderr, "mock cudnn: workspace too small\n"); return BAD; }
    return OK;
}
#define X(n_, c_, y_, x_) x[(((size_t) (n_) * xd->c + (c_)) * xd->h + (y_)) * xd->w + (x_)]
st cudnnConvolutionForward(void* h, const float* al, T* xd, const float* x, F* wd, const float* w, C* cv, int algo, void* ws, size_t wsSize, const float* be, T* yd, float* y) {
    CHK(agree(xd, wd, cv, yd)); st s = algoCheck(algo, ws, wsSize); if (s) return s;
    for (int n = 0; n < yd->n; n++) for (int k = 0; k < yd->c; k++) for (int oy = 0; oy < yd->h; oy++) for (int ox = 0; ox < yd->w; ox++) {
        double sum = 0;
        for (int c = 0; c < xd->c; c++) for (int ky = 0; ky < wd->h; ky++) for (int kx = 0; kx < wd->w; kx++) {
            int iy = oy * cv->sh - cv->ph + ky, ix = ox * cv->sw - cv->pw + kx;
            if (iy >= 0 && iy < xd->h && ix >= 0 && ix < xd->w) sum += (double) X(n, c, iy, ix) * w[((k * wd->c + c) * wd->h + ky) * wd->w + kx];
        }
        float& o = y[((n * yd->c + k) * yd->h + oy) * yd->w + ox];
        o = (float) (*al * sum + (*be == 0 ? 0.0 : *be * o));
    }
    return OK;
}
st cudnnConvolutionBackwardData(void* h, const float* al, F* wd, const float* w, T* dyd, const float* dy, C* cv, int algo, void* ws, size_t wsSize, const float* be, T* xd, float* dx) {
    CHK(agree(xd, wd, cv, dyd)); st s = algoCheck(algo, ws, wsSize); if (s) return s;
    std::vector<double> acc((size_t) xd->n * xd->c * xd->h * xd->w, 0.0);
    for (int n = 0; n < dyd->n; n++) for (int k = 0; k < dyd->c; k++) for (int oy = 0; oy < dyd->h; oy++) for (int ox = 0; ox < dyd->w; ox++) {
        double d = dy[((n * dyd->c + k) * dyd->h + oy) * dyd->w + ox];
        for (int c = 0; c < xd->c; c++) for (int ky = 0; ky < wd->h; ky++) for (int kx = 0; kx < wd->w; kx++) {
            int iy = oy * cv->sh - cv->ph + ky, ix = ox * cv->sw - cv->pw + kx;
            if (iy >= 0 && iy < xd->h && ix >= 0 && ix < xd->w) acc[(((size_t) n * xd->c + c) * xd->h + iy) * xd->w + ix] += d * w[((k * wd->c + c) * wd->h + ky) * wd->w + kx];
        }
    }
    for (size_t i = 0; i < acc.size(); i++) dx[i] = (float) (*al * acc[i] + (*be == 0 ? 0.0 : *be * dx[i]));
    return OK;
}
st cudnnConvolutionBackwardFilter(void* h, const float* al, T* xd, const float* x, T* dyd, const float* dy, C* cv, int algo, void* ws, size_t wsSize, const float* be, F* wd, float* dw) {
    CHK(agree(xd, wd, cv, dyd)); st s = algoCheck(algo, ws, wsSize); if (s) return s;
    for (int k = 0; k < wd->k; k++) for (int c = 0; c < wd->c; c++) for (int ky = 0; ky < wd->h; ky++) for (int kx = 0; kx < wd->w; kx++) {
        double sum = 0;
        for (int n = 0; n < dyd->n; n++) for (int oy = 0; oy < dyd->h; oy++) for (int ox = 0; ox < dyd->w; ox++) {
            int iy = oy * cv->sh - cv->ph + ky, ix = ox * cv->sw - cv->pw + kx;
            if (iy >= 0 && iy < xd->h && ix >= 0 && ix < xd->w) sum += (double) dy[((n * dyd->c + k) * dyd->h + oy) * dyd->w + ox] * X(n, c, iy, ix);
        }
        float& o = dw[((k * wd->c + c) * wd->h + ky) * wd->w + kx];
        o = (float) (*al * sum + (*be == 0 ? 0.0 : *be * o));
    }
    return OK;
}
st cudnnConvolutionBackwardBias(void* h, const float* al, T* dyd, const float* dy, const float* be, T* bd, float* db) {
    CHK(bd->n == 1 && bd->c == dyd->c && bd->h == 1 && bd->w == 1);
    for (int c = 0; c < dyd->c; c++) {
        double sum = 0;
        for (int n = 0; n < dyd->n; n++) for (int i = 0; i < dyd->h * dyd->w; i++) sum += dy[((size_t) n * dyd->c + c) * dyd->h * dyd->w + i];
        db[c] = (float) (*al * sum + (*be == 0 ? 0.0 : *be * db[c]));
    }
    return OK;
}
st cudnnCreatePoolingDescriptor(Pl** d) { *d = new Pl{}; return OK; }
st cudnnSetPooling2dDescriptor(Pl* d, int mode, int nan, int wh, int ww, int ph, int pw, int sh, int sw) { CHK((mode == 0 || mode == 1) && nan == 1 && ph == 0 && pw == 0); *d = Pl{mode, nan, wh, ww, ph, pw, sh, sw}; return OK; }
st cudnnDestroyPoolingDescriptor(Pl* d) { delete d; return OK; }
st cudnnPoolingForward(void* h, Pl* p, const float* al, T* xd, const float* x, const float* be, T* yd, float* y) {
    CHK(yd->n == xd->n && yd->c == xd->c && yd->h == (xd->h - p->wh) / p->sh + 1 && yd->w == (xd->w - p->ww) / p->sw + 1 && *be == 0);
    for (int n = 0; n < xd->n; n++) for (int c = 0; c < xd->c; c++) for (int oy = 0; oy < yd->h; oy++) for (int ox = 0; ox < yd->w; ox++) {
        double acc = p->mode == 0 ? -INFINITY : 0;
        for (int py = 0; py < p->wh; py++) for (int px = 0; px < p->ww; px++) {
            double v = X(n, c, oy * p->sh + py, ox * p->sw + px);
            acc = p->mode == 0 ? (std::isnan(v) || v > acc ? v : acc) : acc + v;
        }
        if (p->mode == 1) acc /= p->wh * p->ww;
        y[((n * yd->c + c) * yd->h + oy) * yd->w + ox] = (float) (*al * acc);
    }
    return OK;
}
st cudnnSoftmaxForward(void* h, int algo, int mode, const float* al, T* xd, const float* x, const float* be, T* yd, float* y) {
    CHK(algo == 1 && mode == 1 && xd->h == 1 && xd->w == 1 && yd->n == xd->n && yd->c == xd->c && *be == 0);
    for (int n = 0; n < xd->n; n++) {
        double m = -INFINITY, s = 0;
        for (int c = 0; c < xd->c; c++) m = std::max(m, (double) x[n * xd->c + c]);
        for (int c = 0; c < xd->c; c++) s += std::exp(x[n * xd->c + c] - m);
        for (int c = 0; c < xd->c; c++) y[n * xd->c + c] = (float) (std::exp(x[n * xd->c + c] - m) / s);
    }
    return OK;
}
st cudnnSoftmaxBackward(void* h, int algo, int mode, const float* al, T* yd, const float* y, T* dyd, const float* dy, const float* be, T* dxd, float* dx) {
    CHK(algo == 1 && mode == 1 && yd->c == dyd->c && dxd->c == yd->c && yd->h == 1 && *be == 0);
    for (int n = 0; n < yd->n; n++) {
        double dot = 0;
        for (int c = 0; c < yd->c; c++) dot += (double) dy[n * yd->c + c] * y[n * yd->c + c];
        for (int c = 0; c < yd->c; c++) dx[n * yd->c + c] = (float) (y[n * yd->c + c] * (dy[n * yd->c + c] - dot));
    }
    return OK;
}
}
