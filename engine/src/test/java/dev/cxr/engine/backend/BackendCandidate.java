package dev.cxr.engine.backend;

import dev.cxr.engine.backend.cpu.PlainCpuBackend;
import dev.cxr.engine.backend.cpu.fast.FastCpuConfigs;
import dev.cxr.engine.backend.cuda.CudaBackend;
import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.engine.backend.cuda.CudaStatus;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.testing.Compare.Tolerance;
import dev.cxr.engine.testing.Tolerances;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A backend the harness compares with the reference, with the tolerance of each op on it. Backends
 * are opened once, on first use, and shared by the harness's tests; {@link #closeAll} ends them and
 * prints the largest error each tolerance met, the evidence behind the "seen up to" of
 * {@link Tolerances}.
 *
 * <p>The system property {@value #ONLY} (comma-separated name prefixes, e.g. {@code cuda}) keeps
 * only the candidates named: the GPU machine and the mock driver run the CUDA backend alone.
 */
record BackendCandidate(String name, Supplier<Backend> opener, Kind kind) {
    /** Which tolerances apply. */
    enum Kind {
        /** The fast CPU backend: Winograd and blocked FMA sums. */
        FAST,
        /** The plain-loop CPU backend: the reference's arithmetic in another loop order, bit for bit. */
        PLAIN,
        /** The GPU. */
        CUDA
    }

    /** The system property that picks candidates by name prefix. */
    static final String ONLY = "cxr.backends";

    private static final Map<String, Backend> OPEN = new LinkedHashMap<>();
    /** The largest error seen per candidate and tolerance, for the summary. */
    private static final Map<String, Double> WORST = new LinkedHashMap<>();

    /**
     * The fast CPU backend in every configuration, the plain-loop CPU backend at 1 and 3 threads, and
     * the GPU (skipped where none is usable); only those {@value #ONLY} names, where it is set.
     */
    static List<BackendCandidate> all() {
        List<BackendCandidate> out = new ArrayList<>();
        for (FastCpuConfigs.Config c : FastCpuConfigs.all()) {
            out.add(new BackendCandidate(c.name(), c.open(), Kind.FAST));
        }
        out.add(new BackendCandidate("cpu-plain-t1", () -> new PlainCpuBackend(1), Kind.PLAIN));
        out.add(new BackendCandidate("cpu-plain-t3", () -> new PlainCpuBackend(3), Kind.PLAIN));
        out.add(new BackendCandidate("cuda", () -> CudaBackend.open(0), Kind.CUDA));
        String only = System.getProperty(ONLY, "").trim();
        if (!only.isEmpty()) {
            List<String> prefixes = List.of(only.split("\\s*,\\s*"));
            out.removeIf(c -> prefixes.stream().noneMatch(c.name::startsWith));
        }
        return out;
    }

    boolean cuda() {
        return kind == Kind.CUDA;
    }

    /** Null where this candidate can run here, else why not (no usable GPU). */
    String unavailable() {
        if (!cuda()) {
            return null;
        }
        CudaStatus s = CudaProbe.status();
        return s.usable() ? null : "no usable GPU: " + s.reason();
    }

    synchronized Backend backend() {
        return OPEN.computeIfAbsent(name, n -> opener.get());
    }

    /** Notes an error measured against {@code tol}, for the summary. */
    void record(Tolerance tol, double error) {
        if (!tol.exact()) {
            synchronized (WORST) {
                WORST.merge(name + "\t" + tol.name() + "\t" + tol.ofMax(), error, Math::max);
            }
        }
    }

    static synchronized void closeAll() {
        synchronized (WORST) {
            WORST.forEach((key, err) -> {
                String[] k = key.split("\t");
                System.out.printf(Locale.ROOT, "  %-24s %-28s worst %.2e (tolerance %s)%n", k[0], k[1], err, k[2]);
            });
            WORST.clear();
        }
        OPEN.values().forEach(b -> {
            if (b instanceof CudaBackend gpu) {
                System.out.println("  " + gpu.providers());
                gpu.convolutionPlans().forEach(p -> System.out.println("  " + p));
            }
            b.close();
        });
        OPEN.clear();
    }

    /**
     * Whether the harness gives this candidate VGG16's 16-channel slices rather than whole layers: the
     * plain loops, too slow for whole layers here, give each output channel the same arithmetic
     * whatever the others (so a slice proves what the whole would).
     */
    boolean runsVgg16Slices() {
        return kind == Kind.PLAIN;
    }

    Tolerance convForward(Shape x, Shape w, ConvSpec s) {
        if (cuda()) {
            return Tolerances.CUDA_CONV;
        }
        if (kind == Kind.PLAIN) {
            return Tolerance.EXACT;
        }
        return switch (FastCpuConfigs.algorithm(backend(), x, w, s)) {
            case "F2" -> Tolerances.CPU_F2;
            case "F4" -> Tolerances.CPU_F4;
            default -> Tolerances.CPU_IM2COL;
        };
    }

    Tolerance convBackward() {
        return switch (kind) {
            case CUDA -> Tolerances.CUDA_CONV;
            case PLAIN -> Tolerance.EXACT;
            default -> Tolerances.CPU_CONV_BACKWARD;
        };
    }

    Tolerance gemm() {
        return switch (kind) {
            case CUDA -> Tolerances.CUDA_GEMM;
            case PLAIN -> Tolerance.EXACT;
            default -> Tolerances.CPU_GEMM;
        };
    }

    Tolerance softmax() {
        return cuda() ? Tolerances.CUDA_SOFTMAX : Tolerance.EXACT;
    }

    Tolerance lossValue() {
        return cuda() ? Tolerances.CUDA_LOSS : Tolerance.EXACT;
    }

    Tolerance avgPoolForward() {
        return cuda() ? Tolerances.CUDA_AVG_POOL : Tolerance.EXACT;
    }

    Tolerance biasBackward() {
        return cuda() ? Tolerances.CUDA_BIAS_GRAD : Tolerance.EXACT;
    }

    @Override
    public String toString() {
        return name;
    }
}
