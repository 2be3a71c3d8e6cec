// cxr's own CUDA kernels: the elementwise ops, padding for asymmetric convolutions, the pooling
// gradients with TensorFlow's tie rule, the losses, Adam's step and an SGEMM for machines where
// cuBLAS 12 is absent. cuDNN does the convolutions, the pooling forward passes and the softmax.
//
// Each kernel mirrors one method of ReferenceBackend (the oracle); a comment names it. Where the
// reference's float arithmetic can be reproduced exactly (Adam, ReLU, bias, pooling gradients, the
// loss gradients) the kernel does so: __fadd_rn / __fmul_rn keep nvcc from fusing a multiply and an
// add into one FMA, which Java never does.
//
// Built into PTX by build-ptx.sh; the PTX is checked in under src/main/resources, so the Java build
// needs no nvcc. Every index is 64-bit where a product of sizes could pass 2^31.

typedef long long i64;

// A grid-stride loop over [0, n): works for any grid size the host picks.
#define FOR_EACH(i, n) for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) blockDim.x * gridDim.x)

// ---- elementwise (ReferenceBackend.add, mul, reluForward, reluBackward) ----

extern "C" __global__ void cxr_add(i64 n, const float* src, float* dst) {
    FOR_EACH(i, n) {
        dst[i] = __fadd_rn(dst[i], src[i]);
    }
}

// out may be a or b
extern "C" __global__ void cxr_mul(i64 n, const float* a, const float* b, float* out) {
    FOR_EACH(i, n) {
        out[i] = __fmul_rn(a[i], b[i]);
    }
}

// y = x > 0 ? x : 0 (NaN gives 0, as in the reference); y may be x
extern "C" __global__ void cxr_relu_forward(i64 n, const float* x, float* y) {
    FOR_EACH(i, n) {
        float v = x[i];
        y[i] = v > 0.f ? v : 0.f;
    }
}

// dx = y > 0 ? dy : 0; dx may be dy
extern "C" __global__ void cxr_relu_backward(i64 n, const float* y, const float* dy, float* dx) {
    FOR_EACH(i, n) {
        dx[i] = y[i] > 0.f ? dy[i] : 0.f;
    }
}

// ---- bias (ReferenceBackend.biasAdd, and the bias + ReLU tail of conv2dForward) ----

// y [N, C, inner] += bias[C], then ReLU when relu != 0 (a NaN stays NaN, as in the reference)
extern "C" __global__ void cxr_bias_act(i64 n, int channels, i64 inner, float* y, const float* bias, int relu) {
    FOR_EACH(i, n) {
        int c = (int) ((i / inner) % channels);
        float v = __fadd_rn(y[i], bias[c]);
        y[i] = (relu && v < 0.f) ? 0.f : v;
    }
}

// ---- zero padding for convolutions cuDNN cannot pad (asymmetric 'same') ----

// x [planes, h, w] -> xp [planes, hp, wp] with x placed at (top, left), zeros elsewhere
extern "C" __global__ void cxr_pad2d(i64 planes, int h, int w, int hp, int wp, int top, int left,
                                     const float* x, float* xp) {
    FOR_EACH(i, planes * hp * wp) {
        int px = (int) (i % wp);
        int py = (int) ((i / wp) % hp);
        i64 plane = i / ((i64) hp * wp);
        int iy = py - top;
        int ix = px - left;
        xp[i] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x[(plane * h + iy) * w + ix] : 0.f;
    }
}

// xp [planes, hp, wp] -> x [planes, h, w] = the window at (top, left)
extern "C" __global__ void cxr_crop2d(i64 planes, int h, int w, int hp, int wp, int top, int left,
                                      const float* xp, float* x) {
    FOR_EACH(i, planes * h * w) {
        int ix = (int) (i % w);
        int iy = (int) ((i / w) % h);
        i64 plane = i / ((i64) h * w);
        x[i] = xp[(plane * hp + iy + top) * wp + ix + left];
    }
}

// ---- pooling gradients (ReferenceBackend.maxPoolBackward, avgPoolBackward) ----

// The output windows (oy, ox) that contain input row iy: oy*s <= iy <= oy*s + pool - 1.
__device__ inline void window_range(int iy, int pool, int stride, int out, int* lo, int* hi) {
    int first = iy - pool + 1;
    *lo = first <= 0 ? 0 : (first + stride - 1) / stride;
    int last = iy / stride;
    *hi = last < out - 1 ? last : out - 1;
}

// Flat index in the plane of the first maximum of a window in row-major order; a NaN wins.
__device__ inline int window_argmax(const float* xplane, int w, int ph, int pw, int y0, int x0) {
    int best = y0 * w + x0;
    for (int py = 0; py < ph; py++) {
        for (int px = 0; px < pw; px++) {
            int idx = (y0 + py) * w + x0 + px;
            float v = xplane[idx];
            float b = xplane[best];
            if (v > b || (isnan(v) && !isnan(b))) {
                best = idx;
            }
        }
    }
    return best;
}

// dx [planes, h, w]: each window's dy goes to its first maximum. One thread per input element
// gathers from the windows covering it, in the reference's (oy, ox) order, so sums match exactly.
extern "C" __global__ void cxr_maxpool_backward(i64 planes, int h, int w, int oh, int ow, int ph, int pw,
                                                int sh, int sw, const float* x, const float* dy, float* dx) {
    FOR_EACH(i, planes * h * w) {
        int ix = (int) (i % w);
        int iy = (int) ((i / w) % h);
        i64 plane = i / ((i64) h * w);
        const float* xplane = x + plane * h * w;
        const float* dyplane = dy + plane * oh * ow;
        int self = iy * w + ix;
        int oy0, oy1, ox0, ox1;
        window_range(iy, ph, sh, oh, &oy0, &oy1);
        window_range(ix, pw, sw, ow, &ox0, &ox1);
        float sum = 0.f;
        for (int oy = oy0; oy <= oy1; oy++) {
            for (int ox = ox0; ox <= ox1; ox++) {
                if (window_argmax(xplane, w, ph, pw, oy * sh, ox * sw) == self) {
                    sum = __fadd_rn(sum, dyplane[oy * ow + ox]);
                }
            }
        }
        dx[i] = sum;
    }
}

// dx [planes, h, w]: every position gets dy / (ph * pw) from each window covering it
extern "C" __global__ void cxr_avgpool_backward(i64 planes, int h, int w, int oh, int ow, int ph, int pw,
                                                int sh, int sw, const float* dy, float* dx) {
    float count = (float) (ph * pw);
    FOR_EACH(i, planes * h * w) {
        int ix = (int) (i % w);
        int iy = (int) ((i / w) % h);
        i64 plane = i / ((i64) h * w);
        const float* dyplane = dy + plane * oh * ow;
        int oy0, oy1, ox0, ox1;
        window_range(iy, ph, sh, oh, &oy0, &oy1);
        window_range(ix, pw, sw, ow, &ox0, &ox1);
        float sum = 0.f;
        for (int oy = oy0; oy <= oy1; oy++) {
            for (int ox = ox0; ox <= ox1; ox++) {
                sum = __fadd_rn(sum, __fdiv_rn(dyplane[oy * ow + ox], count));
            }
        }
        dx[i] = sum;
    }
}

// ---- losses (ReferenceBackend.binaryCrossEntropy, categoricalCrossEntropy) ----
// One block of LOSS_THREADS threads: the losses see [N, F] with N*F in the tens, so one block is
// plenty and the sum needs no second pass. The sum is in double, like the reference's.

#define LOSS_THREADS 256

__device__ inline void block_sum_to(double partial, double* out) {
    __shared__ double sums[LOSS_THREADS];
    sums[threadIdx.x] = partial;
    __syncthreads();
    for (int s = LOSS_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            sums[threadIdx.x] += sums[threadIdx.x + s];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        out[0] = sums[0];
    }
}

// loss sum of -(y log pc + (1-y) log(1-pc)), pc = clip(p, eps, 1-eps);
// dp = -(y/pc - (1-y)/(1-pc)) / count where eps <= p <= 1-eps, else 0 (when write_grad)
extern "C" __global__ void cxr_bce(int count, float eps, const float* p, const float* t, float* dp,
                                   int write_grad, double* total) {
    float hi = __fsub_rn(1.f, eps);
    double partial = 0.0;
    for (int i = threadIdx.x; i < count; i += LOSS_THREADS) {
        float pi = p[i];
        float pc = fminf(fmaxf(pi, eps), hi);
        float y = t[i];
        partial += -((double) y * log((double) pc) + (double) __fsub_rn(1.f, y) * log((double) __fsub_rn(1.f, pc)));
        if (write_grad) {
            bool clipped = pi < eps || pi > hi;
            float g = -__fsub_rn(__fdiv_rn(y, pc), __fdiv_rn(__fsub_rn(1.f, y), __fsub_rn(1.f, pc)));
            dp[i] = clipped ? 0.f : __fdiv_rn(g, (float) count);
        }
    }
    block_sum_to(partial, total);
}

// loss sum of -y log clip(p, eps, 1-eps); dp = -y / pc / n where not clipped, else 0
extern "C" __global__ void cxr_cce(int count, int n, float eps, const float* p, const float* t, float* dp,
                                   int write_grad, double* total) {
    float hi = __fsub_rn(1.f, eps);
    double partial = 0.0;
    for (int i = threadIdx.x; i < count; i += LOSS_THREADS) {
        float pi = p[i];
        float pc = fminf(fmaxf(pi, eps), hi);
        float y = t[i];
        partial += -(double) y * log((double) pc);
        if (write_grad) {
            bool clipped = pi < eps || pi > hi;
            dp[i] = clipped ? 0.f : __fdiv_rn(__fdiv_rn(-y, pc), (float) n);
        }
    }
    block_sum_to(partial, total);
}

// ---- optimizer (ReferenceBackend.adamStep) ----

// m += (g - m)(1 - beta1); v += (g^2 - v)(1 - beta2); w -= m alpha / (sqrt(v) + epsilon)
extern "C" __global__ void cxr_adam(i64 n, float* w, const float* g, float* m, float* v, float alpha,
                                    float one_minus_beta1, float one_minus_beta2, float epsilon) {
    FOR_EACH(i, n) {
        float gi = g[i];
        float mi = __fadd_rn(m[i], __fmul_rn(__fsub_rn(gi, m[i]), one_minus_beta1));
        float vi = __fadd_rn(v[i], __fmul_rn(__fsub_rn(__fmul_rn(gi, gi), v[i]), one_minus_beta2));
        m[i] = mi;
        v[i] = vi;
        w[i] = __fsub_rn(w[i], __fdiv_rn(__fmul_rn(mi, alpha), __fadd_rn(__fsqrt_rn(vi), epsilon)));
    }
}

// ---- SGEMM (ReferenceBackend.gemm), used where cuBLAS 12 is absent ----
// Row-major C[m,n] = alpha * op(A)[m,k] . op(B)[k,n] + beta * C; A is [k,m] when trans_a, B is
// [n,k] when trans_b. A TILE x TILE block of threads computes a TILE x TILE block of C through
// shared-memory tiles of op(A) and op(B). The dense layers here are small (8 x 512 x 64), so this
// simple form is enough. With beta = 0, C is not read.

#define TILE 16

extern "C" __global__ void cxr_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha,
                                     const float* a, const float* b, float beta, float* c) {
    __shared__ float as[TILE][TILE + 1];
    __shared__ float bs[TILE][TILE + 1];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float sum = 0.f;
    for (int t = 0; t < k; t += TILE) {
        int ka = t + threadIdx.x;
        as[threadIdx.y][threadIdx.x] = (row < m && ka < k)
                ? (trans_a ? a[(i64) ka * m + row] : a[(i64) row * k + ka]) : 0.f;
        int kb = t + threadIdx.y;
        bs[threadIdx.y][threadIdx.x] = (kb < k && col < n)
                ? (trans_b ? b[(i64) col * k + kb] : b[(i64) kb * n + col]) : 0.f;
        __syncthreads();
        for (int p = 0; p < TILE; p++) {
            sum += as[threadIdx.y][p] * bs[p][threadIdx.x];
        }
        __syncthreads();
    }
    if (row < m && col < n) {
        i64 idx = (i64) row * n + col;
        c[idx] = beta == 0.f ? alpha * sum : alpha * sum + beta * c[idx];
    }
}
