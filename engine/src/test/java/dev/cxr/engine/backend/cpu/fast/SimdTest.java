package dev.cxr.engine.backend.cpu.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The width the fast backend runs at in this JVM, and the shapes derived from it. The suite runs in
 * three JVMs (the machine's widest vectors, then -XX:UseAVX=2 and -XX:UseAVX=0), so each of these
 * holds at 512, 256 and 128 bits.
 */
class SimdTest {
    @Test
    void theWidthIsTheMachinesUnlessForced() {
        System.out.println("[SimdTest] " + Simd.describe());
        String forced = System.getProperty("cxr.simd");
        int expected = forced == null || forced.isBlank() ? Simd.PREFERRED_BITS : Integer.parseInt(forced.trim());
        assertEquals(expected, Simd.S.vectorBitSize());
        assertEquals(Simd.S.vectorBitSize() / 32, Simd.L);
        assertNull(Simd.NOT_VECTORISED, "the suite's JVMs compile vectors: " + Simd.NOT_VECTORISED);
    }

    @Test
    void kernelShapesFitTheRegisters() {
        // accumulators, the B vectors of one step and one broadcast of A
        assertTrue(Simd.MR * Simd.NV + Simd.NV + 1 <= Simd.REGISTERS, Simd.describe());
        assertEquals(Simd.NV * Simd.L, MicroKernel.NR);
        assertEquals(0, Gemm.NC % MicroKernel.NR, "GEMM column blocks hold whole kernels");
        assertEquals(0, Gemm.MC % MicroKernel.MR, "GEMM row blocks hold whole panels");
        assertEquals(0, Im2colConv.PIXELS % MicroKernel.NR, "im2col pixel blocks hold whole kernels");
        assertEquals(0, WinogradConv.FUSED_BLOCK % Simd.L, "fused Winograd blocks hold whole tile vectors");
        assertEquals(0, WinogradConv.FUSED_ROWS % MicroKernel.MR);
    }

    @Test
    void widthForCoversEveryColumnWithWholeVectors() {
        for (int columns = 1; columns <= 5 * MicroKernel.NR; columns++) {
            int w = MicroKernel.widthFor(columns);
            assertTrue(w % Simd.L == 0 && w >= Simd.L && w <= MicroKernel.NR, "width " + w + " for " + columns);
            if (columns <= MicroKernel.NR) {
                assertTrue(w >= columns, "one kernel call covers " + columns + " columns: got " + w);
                assertTrue(w - columns < Simd.L, "and no more than one vector beyond them");
            } else {
                assertEquals(MicroKernel.NR, w);
            }
            int covered = Gemm.paddedWidth(columns);
            assertTrue(covered >= columns && covered - columns < Simd.L, columns + " columns padded to " + covered);
        }
    }
}
