package dev.cxr.engine.backend.cuda;

import java.util.List;

/**
 * What the probe found on this machine: the driver, the GPUs, cuDNN and cuBLAS, and, when the GPU
 * cannot be used, one line saying why. Plain data, safe to print; {@code cxr info} shows it.
 *
 * @param usable whether {@link CudaBackend} can open (driver, at least one GPU, cuDNN 9)
 * @param reason why not, one line (null when usable)
 * @param driver "CUDA driver 13.0", or what went wrong loading it
 * @param gpus   the GPUs the driver reports, by index
 * @param cudnn  cuDNN's state (required)
 * @param cublas cuBLAS's state (optional: without it the dense layers use an own kernel)
 */
public record CudaStatus(boolean usable, String reason, String driver, List<Gpu> gpus, Library cudnn, Library cublas) {
    /** The libraries' state when there is no driver or no device to use them with. */
    static final String NOT_LOOKED_FOR = "not looked for (no GPU)";

    public CudaStatus {
        gpus = List.copyOf(gpus);
    }

    /** One GPU as the driver describes it. */
    public record Gpu(
            int index, String name, int computeMajor, int computeMinor, long totalBytes, int multiprocessors) {
        /** "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB, 132 SMs)". */
        public String describe() {
            return String.format(
                    java.util.Locale.ROOT,
                    "%s (sm_%d%d, %.1f GiB, %d SMs)",
                    name,
                    computeMajor,
                    computeMinor,
                    totalBytes / (1024.0 * 1024 * 1024),
                    multiprocessors);
        }
    }

    /**
     * A library's state: loaded (with its version and where it came from) or absent (with why).
     *
     * @param notes anything worth knowing that did not stop it from loading (a sub-library that failed)
     */
    public record Library(boolean loaded, String version, String location, String problem, List<String> notes) {
        public Library {
            notes = List.copyOf(notes);
        }

        static Library loaded(String version, String location, List<String> notes) {
            return new Library(true, version, location, null, notes);
        }

        static Library absent(String problem) {
            return new Library(false, null, null, problem, List.of());
        }

        /** "loaded: 9.10.2 from /path", "absent: why", or "not looked for (no GPU)". */
        public String describe() {
            if (loaded) {
                return "loaded: " + version + (location == null ? "" : " from " + location);
            }
            return NOT_LOOKED_FOR.equals(problem) ? problem : "absent: " + problem;
        }
    }
}
