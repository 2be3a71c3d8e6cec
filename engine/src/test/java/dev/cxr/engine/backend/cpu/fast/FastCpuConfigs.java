package dev.cxr.engine.backend.cpu.fast;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.ConvGeometry;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The configurations of the fast CPU backend the backend-ops harness runs: the default policy at 1, 2
 * and 3 threads, and each convolution path forced (im2col GEMM; Winograd F(2x2) and F(4x4), each in
 * the fused and in the grouped schedule), so that every path meets every shape, whatever the default
 * policy would pick for it. The grouped configurations shrink the groups to one or a few blocks of
 * tiles, so small shapes cross group boundaries and end in a partial block and a partial group.
 */
public final class FastCpuConfigs {
    private FastCpuConfigs() {}

    /** A named way to open the backend. */
    public record Config(String name, Supplier<Backend> open) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final WinogradConv.Tuning FUSED =
            new WinogradConv.Tuning(Integer.MAX_VALUE, 1 << 22, Integer.MAX_VALUE);

    /** The grouped schedule for every convolution, with groups of one block of tiles. */
    private static final WinogradConv.Tuning GROUPED_ONE = new WinogradConv.Tuning(0, 1L << 40, 1);
    /**
     * The grouped schedule with groups of a few blocks on the harness's shapes (a block of F(4x4) with 18
     * input and 24 padded output channels takes 36 * 42 * 48 = 72,576 floats: two per group; F(2x2) four).
     */
    private static final WinogradConv.Tuning GROUPED_FEW = new WinogradConv.Tuning(0, 1L << 40, 2);

    public static List<Config> all() {
        List<Config> out = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3}) {
            out.add(new Config("cpu-t" + threads, () -> new FastCpuBackend(threads)));
        }
        out.add(new Config("cpu-im2col-t3", () -> new FastCpuBackend(3, (g, s) -> null)));
        for (Winograd v : Winograd.values()) {
            String n = v.name().toLowerCase(java.util.Locale.ROOT);
            FastCpuBackend.ConvPolicy forced = (g, s) -> v;
            out.add(new Config("cpu-" + n + "-fused-t3", () -> new FastCpuBackend(3, forced, FUSED)));
            out.add(new Config("cpu-" + n + "-grouped1-t1", () -> new FastCpuBackend(1, forced, GROUPED_ONE)));
            out.add(new Config("cpu-" + n + "-grouped-t3", () -> new FastCpuBackend(3, forced, GROUPED_FEW)));
        }
        return out;
    }

    /** "im2col", "F2" or "F4": how {@code backend} (a fast CPU backend) computes this convolution. */
    public static String algorithm(Backend backend, Shape x, Shape w, ConvSpec s) {
        FastCpuBackend fast = (FastCpuBackend) backend;
        Winograd v = fast.algorithm(ConvGeometry.of(x, w, s), s);
        return v == null ? "im2col" : v.name();
    }
}
