package dev.cxr.engine.backend.cpu;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.cpu.fast.FastCpuBackend;

/**
 * Whether the fast CPU backend's SIMD kernels run as machine vectors in this JVM, asked without
 * loading the Vector API where its module is absent (its classes would not load). The fast backend
 * needs {@code --add-modules jdk.incubator.vector} and a JIT that compiles vectors; where either is
 * missing, {@link dev.cxr.engine.backend.Backends} runs {@link PlainCpuBackend} and says why.
 */
public final class CpuSimd {
    private static final String MODULE = "jdk.incubator.vector";

    private CpuSimd() {}

    /** Null when the fast backend's vectors compile here, else why not, in words a user can act on. */
    public static String problem() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "the Vector API is not enabled (start java with --add-modules " + MODULE + "; ./cxr does)";
        }
        return Loaded.problem();
    }

    /**
     * One line for {@code cxr info}: the width in use, the GEMM kernel's shape, and whether the JIT
     * vectorises it.
     */
    public static String describe() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "none: " + problem() + "; the CPU backend runs plain loops";
        }
        return Loaded.describe();
    }

    /** Kept apart so that the fast backend's classes load only when the module is there. */
    private static final class Loaded {
        static String problem() {
            try {
                return FastCpuBackend.simdProblem();
            } catch (ExceptionInInitializerError e) {
                throw new CxrException(
                        e.getCause() == null ? e.toString() : e.getCause().getMessage());
            }
        }

        static String describe() {
            try {
                return FastCpuBackend.simd();
            } catch (ExceptionInInitializerError e) {
                throw new CxrException(
                        e.getCause() == null ? e.toString() : e.getCause().getMessage());
            }
        }
    }
}
