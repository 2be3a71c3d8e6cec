package dev.cxr.engine.backend.cpu.fast;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD width the fast CPU backend runs at, fixed once per JVM, and the register blocking that
 * goes with it. By default: the widest float vectors the JIT compiles to machine instructions here
 * (512 bits with AVX-512, 256 with AVX2, 128 with SSE or NEON). The system property {@code cxr.simd}
 * (512, 256 or 128) forces a width, for tests and benchmarks.
 *
 * <p>Every kernel reads the species from here as a {@code static final}: the JIT sees a constant, so
 * it compiles each vector operation to the instructions of that width and keeps the vectors in
 * registers. A species wider than the machine's vectors would run as allocating Java code instead
 * (about 70x slower); {@link #describe()} says when that is the case.
 */
final class Simd {
    /** The species of every vector operation in the fast backend. */
    static final VectorSpecies<Float> S;
    /** Floats per vector: 16, 8 or 4. */
    static final int L;
    /** Whether the JIT emits fused multiply-adds; where it does not (SSE), kernels multiply, then add. */
    static final boolean FMA;
    /** Vector registers the JIT allocates from: 32 with AVX-512 and on aarch64, else 16. */
    static final int REGISTERS;
    /** Rows of C per GEMM kernel call: 8 with 32 registers, 6 with 16. */
    static final int MR;
    /** Vectors per row of C in the widest GEMM kernel: 3 with 32 registers, 2 with 16. */
    static final int NV;
    /** Columns of the widest GEMM kernel: NV vectors. */
    static final int NR;
    /**
     * Whether the JIT compiles float compares (and the masks they make), lanewise max and lane
     * shuffles to machine code at this width. JDK 17 does not on x86 without AVX (SSE only,
     * -XX:UseAVX=0): there those steps (ReLU, max pooling, the Winograd tile shuffles) run as scalar
     * loops, with the same results, and the arithmetic stays in vectors.
     */
    static final boolean MASKS;
    /** Floats in a 64-byte cache line (the unit of the Winograd buffers' row skew). */
    static final int LINE = 16;
    /** The preferred width of this JVM on this CPU, in bits. */
    static final int PREFERRED_BITS;
    /** Why the chosen width does not run as machine vectors, or null where it does. */
    static final String NOT_VECTORISED;

    static {
        PREFERRED_BITS = VectorShape.preferredShape().vectorBitSize();
        String forced = System.getProperty("cxr.simd");
        int bits = forced == null || forced.isBlank() ? PREFERRED_BITS : parseBits(forced);
        S = switch (bits) {
            case 512 -> FloatVector.SPECIES_512;
            case 256 -> FloatVector.SPECIES_256;
            default -> FloatVector.SPECIES_128;
        };
        L = S.length();
        FMA = !"false".equals(vmOption("UseFMA"));
        boolean aarch64 = "aarch64".equals(System.getProperty("os.arch"));
        String avx = vmOption("UseAVX");
        REGISTERS = aarch64 || (avx != null && Integer.parseInt(avx) >= 3) ? 32 : 16;
        boolean x86 = "amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch"));
        MASKS = !(x86 && "0".equals(avx));
        MR = REGISTERS >= 32 ? 8 : 6;
        NV = REGISTERS >= 32 ? 3 : 2;
        NR = NV * L;
        NOT_VECTORISED = whyNotVectorised(S.vectorBitSize());
    }

    private Simd() {}

    private static int parseBits(String text) {
        return switch (text.trim()) {
            case "512" -> 512;
            case "256" -> 256;
            case "128" -> 128;
            default ->
                throw new IllegalArgumentException("cxr.simd must be 512, 256 or 128 (bits), got '" + text + "'");
        };
    }

    private static String whyNotVectorised(int bits) {
        if (PREFERRED_BITS < 128) {
            return "this JVM compiles no float vectors of 128 bits or more on this CPU";
        }
        if (bits > PREFERRED_BITS) {
            return bits + "-bit vectors were asked for (cxr.simd), but this CPU's are " + PREFERRED_BITS + "-bit";
        }
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted")) {
            return "the JVM runs interpreted (-Xint)";
        }
        String level = vmOption("TieredStopAtLevel");
        if (level != null && Integer.parseInt(level) < 4) {
            return "the JVM's optimising compiler is off (-XX:TieredStopAtLevel=" + level + ")";
        }
        return null;
    }

    /** A HotSpot flag's value, or null where it cannot be read (another JVM, or no jdk.management). */
    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(name)
                    .getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** {@code a * b + c}: one fused multiply-add where the JIT has them, else a multiply and an add. */
    static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
        return FMA ? a.fma(b, c) : a.mul(b).add(c);
    }

    /** One line for {@code cxr info} and notices: the width, the kernel shape and whether it is vectorised. */
    static String describe() {
        String base = String.format(
                Locale.ROOT,
                "%d-bit SIMD (%d floats per vector%s%s), GEMM kernel %dx%d%s",
                S.vectorBitSize(),
                L,
                FMA ? ", FMA" : ", no FMA: multiply then add",
                MASKS ? "" : ", scalar compares and shuffles",
                MR,
                NR,
                S.vectorBitSize() == PREFERRED_BITS ? "" : "; this CPU's preferred width is " + PREFERRED_BITS);
        return NOT_VECTORISED == null ? base + "; vectorised by the JIT" : base + "; NOT vectorised: " + NOT_VECTORISED;
    }
}
