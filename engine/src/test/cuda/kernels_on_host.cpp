// The kernels of cxr_kernels.cu run on the host (emulation.h) against C++ transcriptions of the
// corresponding ReferenceBackend loops, on seeded random data with ties, clipped probabilities and
// sizes that are not multiples of the tiles. Bit-exact where the kernel promises it, else within
// float32 rounding. Exit code 0 when everything matches. Built and run by CudaKernelsOnHostTest.
#include "emulation.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <algorithm>
#include "../../main/cuda/cxr_kernels.cu"

static std::mt19937 rng(1);
static std::vector<float> uni(size_t n, float s) { std::uniform_real_distribution<float> d(-s, s); std::vector<float> v(n); for (auto& x : v) x = d(rng); return v; }
static int fails = 0;
static void exact(const char* what, const std::vector<float>& e, const std::vector<float>& a) {
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < e.size(); i++) if (memcmp(&e[i], &a[i], 4) != 0) { if (!bad) first = i; bad++; }
    printf("%-40s %s", what, bad ? "MISMATCH" : "exact");
    if (bad) { printf(" %zu of %zu, first %zu: %g vs %g", bad, e.size(), first, e[first], a[first]); fails++; }
    printf("\n");
}
// at most 2 blocks: the kernels' grid-stride loops then run more than once per thread
static dim3 g1(long long n) { dim3 d; d.x = (unsigned) std::min<long long>((n + 255) / 256, 2); return d; }
static dim3 b256() { dim3 d; d.x = 256; return d; }

// ---- ReferenceBackend.argmaxInWindow, transcribed ----
static int argmaxW(const float* X, int w, int ph, int pw, int y0, int x0, int plane, int h) {
    int base = plane * h * w;
    int best = base + y0 * w + x0;
    for (int py = 0; py < ph; py++) for (int px = 0; px < pw; px++) {
        int idx = base + (y0 + py) * w + x0 + px;
        if (X[idx] > X[best] || (std::isnan(X[idx]) && !std::isnan(X[best]))) best = idx;
    }
    return best;
}

int main() {
    // max/avg pool backward
    struct PC { int planes, h, w, ph, pw, sh, sw; };
    for (PC c : {PC{6, 8, 6, 2, 2, 2, 2}, PC{4, 9, 7, 3, 3, 2, 2}, PC{4, 7, 7, 4, 4, 4, 4}, PC{2, 9, 9, 3, 3, 2, 2}}) {
        int oh = (c.h - c.ph) / c.sh + 1, ow = (c.w - c.pw) / c.sw + 1;
        auto x = uni(c.planes * c.h * c.w, 1.f);
        for (auto& v : x) v = std::round(v * 1.5f + 0.5f);   // ties
        auto dy = uni(c.planes * oh * ow, 1.f);
        std::vector<float> ref(x.size(), 0.f), got(x.size(), 7.f);
        for (int p = 0; p < c.planes; p++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++)
            ref[argmaxW(x.data(), c.w, c.ph, c.pw, oy * c.sh, ox * c.sw, p, c.h)] += dy[(p * oh + oy) * ow + ox];
        long long n = (long long) c.planes * c.h * c.w;
        launch(g1(n), b256(), [&] { cxr_maxpool_backward(c.planes, c.h, c.w, oh, ow, c.ph, c.pw, c.sh, c.sw, x.data(), dy.data(), got.data()); });
        exact("maxpool backward (ties)", ref, got);
        std::vector<float> aref(x.size(), 0.f), agot(x.size(), 7.f);
        float count = c.ph * c.pw;
        for (int p = 0; p < c.planes; p++) for (int oy = 0; oy < oh; oy++) for (int ox = 0; ox < ow; ox++) {
            float share = dy[(p * oh + oy) * ow + ox] / count;
            for (int py = 0; py < c.ph; py++) for (int px = 0; px < c.pw; px++) aref[(p * c.h + oy * c.sh + py) * c.w + ox * c.sw + px] += share;
        }
        launch(g1(n), b256(), [&] { cxr_avgpool_backward(c.planes, c.h, c.w, oh, ow, c.ph, c.pw, c.sh, c.sw, dy.data(), agot.data()); });
        exact("avgpool backward", aref, agot);
    }
    // pad / crop
    {
        int planes = 6, h = 5, w = 6, top = 0, left = 1, hp = 6, wp = 8;
        auto x = uni(planes * h * w, 1.f);
        std::vector<float> xp(planes * hp * wp, 9.f), ref(planes * hp * wp, 0.f), back(x.size(), 9.f);
        for (int p = 0; p < planes; p++) for (int y = 0; y < h; y++) for (int xx = 0; xx < w; xx++) ref[(p * hp + y + top) * wp + xx + left] = x[(p * h + y) * w + xx];
        launch(g1(planes * hp * wp), b256(), [&] { cxr_pad2d(planes, h, w, hp, wp, top, left, x.data(), xp.data()); });
        exact("pad2d", ref, xp);
        launch(g1(planes * h * w), b256(), [&] { cxr_crop2d(planes, h, w, hp, wp, top, left, xp.data(), back.data()); });
        exact("crop2d(pad2d(x)) = x", x, back);
    }
    // bias + relu, relu fwd/bwd, add, mul
    {
        int N = 3, C = 5, inner = 7; long long n = N * C * inner;
        auto y = uni(n, 2.f), b = uni(C, 1.f);
        std::vector<float> ref = y, got = y;
        for (int i = 0; i < N; i++) for (int c = 0; c < C; c++) for (int s = 0; s < inner; s++) { float v = ref[(i * C + c) * inner + s] + b[c]; ref[(i * C + c) * inner + s] = v < 0 ? 0 : v; }
        launch(g1(n), b256(), [&] { cxr_bias_act(n, C, inner, got.data(), b.data(), 1); });
        exact("bias + relu", ref, got);
        std::vector<float> dx(n), rdx(n);
        auto dy = uni(n, 1.f);
        for (long long i = 0; i < n; i++) rdx[i] = ref[i] > 0 ? dy[i] : 0;
        launch(g1(n), b256(), [&] { cxr_relu_backward(n, ref.data(), dy.data(), dx.data()); });
        exact("relu backward", rdx, dx);
    }
    // sgemm
    // sizes off the 16x16 tiles in every dimension; 1x1x1 as the degenerate case
    for (int mnk : {0, 1}) for (int ta = 0; ta < 2; ta++) for (int tb = 0; tb < 2; tb++) {
        if (mnk == 1 && (ta || tb)) continue;
        int m = mnk ? 1 : 37, nn = mnk ? 1 : 19, k = mnk ? 1 : 53;
        auto A = uni(m * k, 1.f), B = uni(k * nn, 1.f), C = uni(m * nn, 1.f);
        std::vector<float> ref(m * nn), got(m * nn, NAN), acc = C, racc(m * nn);
        double maxd = 0, maxr = 0, maxd2 = 0;
        for (int i = 0; i < m; i++) for (int j = 0; j < nn; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += (double) (ta ? A[p * m + i] : A[i * k + p]) * (tb ? B[j * k + p] : B[p * nn + j]);
            ref[i * nn + j] = (float) s; racc[i * nn + j] = (float) (0.5 * s + C[i * nn + j]);
        }
        dim3 grid; grid.x = (nn + 15) / 16; grid.y = (m + 15) / 16; dim3 blk; blk.x = 16; blk.y = 16;
        launch_threads(grid, blk, [&] { cxr_sgemm(ta, tb, m, nn, k, 1.f, A.data(), B.data(), 0.f, got.data()); });
        launch_threads(grid, blk, [&] { cxr_sgemm(ta, tb, m, nn, k, 0.5f, A.data(), B.data(), 1.f, acc.data()); });
        for (int i = 0; i < m * nn; i++) { maxd = std::max(maxd, (double) std::fabs(ref[i] - got[i])); maxd2 = std::max(maxd2, (double) std::fabs(racc[i] - acc[i])); maxr = std::max(maxr, (double) std::fabs(ref[i])); }
        if (!(maxd <= 1e-5 * maxr + 1e-6) || !(maxd2 <= 1e-5 * maxr + 1e-6)) { printf("sgemm m=%d n=%d k=%d ta=%d tb=%d MISMATCH %g %g\n", m, nn, k, ta, tb, maxd, maxd2); fails++; }
    }
    printf("sgemm: all transposes, beta 0 over NaN and beta 1 checked\n");
    // losses
    {
        int n = 8, f = 2, count = n * f; float eps = 1e-7f, hi = 1.f - eps;
        auto p = uni(count, 0.5f); for (auto& v : p) v += 0.5f; p[3] = 0; p[6] = 1; p[9] = 1e-8f;
        std::vector<float> t(count, 0.f); for (int i = 0; i < n; i++) t[2 * i + (i % 2)] = 1;
        std::vector<float> rd(count), gd(count, 5.f); double total = 0, gt = -1;
        for (int i = 0; i < count; i++) {
            float pc = std::min(std::max(p[i], eps), hi); float y = t[i];
            total += -(y * std::log((double) pc) + (1 - y) * std::log((double) (1 - pc)));
            bool cl = p[i] < eps || p[i] > hi;
            rd[i] = cl ? 0.f : (float) (-(y / pc - (1 - y) / (1 - pc)) / (float) (n * f));
        }
        dim3 one; launch_threads(one, b256(), [&] { cxr_bce(count, eps, p.data(), t.data(), gd.data(), 1, &gt); });
        exact("bce gradient", rd, gd);
        printf("bce loss %.9g vs %.9g\n", total / count, gt / count); if (std::fabs(total - gt) > 1e-9 * std::fabs(total)) fails++;
        for (int i = 0; i < count; i++) { float pc = std::min(std::max(p[i], eps), hi); bool cl = p[i] < eps || p[i] > hi; rd[i] = cl ? 0.f : -t[i] / pc / n; }
        total = 0; for (int i = 0; i < count; i++) { float pc = std::min(std::max(p[i], eps), hi); total += -t[i] * std::log((double) pc); }
        launch_threads(one, b256(), [&] { cxr_cce(count, n, eps, p.data(), t.data(), gd.data(), 1, &gt); });
        exact("cce gradient", rd, gd);
        printf("cce loss %.9g vs %.9g\n", total / n, gt / n); if (std::fabs(total - gt) > 1e-9 * std::fabs(total)) fails++;
        launch_threads(one, b256(), [&] { cxr_cce(count, n, eps, p.data(), t.data(), nullptr, 0, &gt); });
        printf("cce loss without gradient %.9g\n", gt / n);
    }
    // adam
    {
        long long n = 1500; auto w = uni(n, 1.f), m = uni(n, .1f), v = uni(n, .01f);
        for (auto& x : v) x = std::fabs(x) + 1e-4f;
        auto rw = w, rm = m, rv = v;
        for (int step = 0; step < 4; step++) {
            auto g = uni(n, .3f); float alpha = 1e-3f, o1 = (float) (1.0 - 0.9f), o2 = (float) (1.0 - 0.999f), eps = 1e-7f;
            for (long long i = 0; i < n; i++) { rm[i] += (g[i] - rm[i]) * o1; rv[i] += (g[i] * g[i] - rv[i]) * o2; rw[i] -= (rm[i] * alpha) / ((float) std::sqrt((double) rv[i]) + eps); }
            launch(g1(n), b256(), [&] { cxr_adam(n, w.data(), g.data(), m.data(), v.data(), alpha, o1, o2, eps); });
        }
        exact("adam w", rw, w); exact("adam m", rm, m); exact("adam v", rv, v);
    }
    printf(fails ? "FAILURES: %d\n" : "all kernel checks passed\n", fails);
    return fails != 0;
}
