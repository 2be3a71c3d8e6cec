package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import java.util.SplittableRandom;

/**
 * The reference convolution formulas evaluated at sampled positions only, in double: an oracle for
 * VGG16's real layer shapes, where the reference backend would need minutes per layer. The index
 * math is the reference backend's; {@link SampledConvTest} checks it against that backend.
 */
final class SampledConv {
    private SampledConv() {}

    /** Output positions [n, k, oy, ox] to check, or kernel positions [k, c, ky, kx]: flat indexes. */
    static int[] sample(int size, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] idx = new int[Math.min(count, size)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = r.nextInt(size);
        }
        idx[0] = 0;
        idx[idx.length - 1] = size - 1; // the corners, where padding matters most
        return idx;
    }

    // y[n,k,oy,ox] = bias[k] + sum_{c,ky,kx} x[n, c, oy*sh - padTop + ky, ox*sw - padLeft + kx] * w[k,c,ky,kx], ReLU?
    static double forward(ConvGeometry g, ConvSpec s, float[] x, float[] w, float[] bias, boolean relu, int yIndex) {
        int ox = yIndex % g.outW();
        int oy = (yIndex / g.outW()) % g.outH();
        int k = (yIndex / (g.outW() * g.outH())) % g.k();
        int n = yIndex / (g.outW() * g.outH() * g.k());
        double sum = bias == null ? 0 : bias[k];
        for (int c = 0; c < g.c(); c++) {
            for (int ky = 0; ky < s.kernelH(); ky++) {
                int iy = oy * s.strideH() - s.padTop() + ky;
                if (iy < 0 || iy >= g.h()) {
                    continue;
                }
                for (int kx = 0; kx < s.kernelW(); kx++) {
                    int ix = ox * s.strideW() - s.padLeft() + kx;
                    if (ix >= 0 && ix < g.w()) {
                        sum += (double) x[g.xIndex(n, c, iy, ix)] * w[g.wIndex(k, c, ky, kx)];
                    }
                }
            }
        }
        return relu && sum < 0 ? 0 : sum;
    }

    // dx[n,c,iy,ix] = sum over the outputs (k, oy, ox) whose window reads (iy, ix) of dy * w
    static double backwardData(ConvGeometry g, ConvSpec s, float[] dy, float[] w, int xIndex) {
        int ix = xIndex % g.w();
        int iy = (xIndex / g.w()) % g.h();
        int c = (xIndex / (g.w() * g.h())) % g.c();
        int n = xIndex / (g.w() * g.h() * g.c());
        double sum = 0;
        for (int k = 0; k < g.k(); k++) {
            for (int ky = 0; ky < s.kernelH(); ky++) {
                int t = iy + s.padTop() - ky; // = oy * strideH
                if (t < 0 || t % s.strideH() != 0 || t / s.strideH() >= g.outH()) {
                    continue;
                }
                int oy = t / s.strideH();
                for (int kx = 0; kx < s.kernelW(); kx++) {
                    int u = ix + s.padLeft() - kx;
                    if (u < 0 || u % s.strideW() != 0 || u / s.strideW() >= g.outW()) {
                        continue;
                    }
                    sum += (double) dy[g.yIndex(n, k, oy, u / s.strideW())] * w[g.wIndex(k, c, ky, kx)];
                }
            }
        }
        return sum;
    }

    // dw[k,c,ky,kx] = sum_{n,oy,ox} dy[n,k,oy,ox] * x[n, c, oy*sh - padTop + ky, ox*sw - padLeft + kx]
    static double backwardFilter(ConvGeometry g, ConvSpec s, float[] x, float[] dy, int wIndex) {
        int kx = wIndex % s.kernelW();
        int ky = (wIndex / s.kernelW()) % s.kernelH();
        int c = (wIndex / (s.kernelW() * s.kernelH())) % g.c();
        int k = wIndex / (s.kernelW() * s.kernelH() * g.c());
        double sum = 0;
        for (int n = 0; n < g.n(); n++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iy = oy * s.strideH() - s.padTop() + ky;
                if (iy < 0 || iy >= g.h()) {
                    continue;
                }
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ix = ox * s.strideW() - s.padLeft() + kx;
                    if (ix >= 0 && ix < g.w()) {
                        sum += (double) dy[g.yIndex(n, k, oy, ox)] * x[g.xIndex(n, c, iy, ix)];
                    }
                }
            }
        }
        return sum;
    }
}
