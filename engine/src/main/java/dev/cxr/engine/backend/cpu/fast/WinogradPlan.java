package dev.cxr.engine.backend.cpu.fast;

import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;

/**
 * The sizes of one Winograd convolution call, shared by its steps ({@link WinogradConv}): the
 * geometry, the variant, the transformed kernels, and the output's tiles (m x m, numbered over the
 * whole batch, row by row within each image).
 */
record WinogradPlan(
        ConvGeometry g,
        ConvSpec s,
        Winograd v,
        float[] u,
        float[] bias,
        boolean relu,
        boolean pooled,
        int tilesH,
        int tilesW,
        int tiles,
        int kPadded) {
    int tilesPerImage() {
        return tilesH * tilesW;
    }
}
