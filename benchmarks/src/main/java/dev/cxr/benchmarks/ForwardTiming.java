package dev.cxr.benchmarks;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.backend.cpu.CpuSimd;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * VGG16's features forward timed the way {@code benchmarks/frameworks_vgg16.py} times the other
 * frameworks (a few warm-up passes, then the median of timed passes, in one process), so that
 * {@code compare-cpu.sh} can run cxr and each framework in turn, round after round, and the ratios
 * hold when the machine's speed drifts. JMH ({@link Vgg16ForwardBenchmark}) gives the
 * statistically careful figure for cxr alone.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.cxr.benchmarks.ForwardTiming \
 *       --threads 2 --batches 1,8 --warmup 3 --repeats 7 --json out.json
 * </pre>
 */
public final class ForwardTiming {
    private ForwardTiming() {}

    /** CPU time of every thread of this process: unlike wall time, it does not count time other processes took. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static void main(String[] args) {
        int threads = 0;
        int warmup = 3;
        int repeats = 7;
        String batches = "1,8";
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--batches" -> batches = args[++i];
                case "--json" -> json = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> results = new ArrayList<>();
        String name = "cxr";
        try (Backend backend = Backends.open(Device.CPU, 0, threads, System.err::println)) {
            int used = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
            Sequential features = Vgg16.features(backend);
            Vgg16.initialize(features, new SplittableRandom(1));
            for (String b : batches.split(",")) {
                int batch = Integer.parseInt(b.trim());
                float[] pixels = new float[batch * 3 * Vgg16.INPUT_SIZE * Vgg16.INPUT_SIZE];
                SplittableRandom random = new SplittableRandom(2);
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) random.nextDouble();
                }
                try (Tensor x = backend.upload(Shape.of(batch, 3, Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE), pixels)) {
                    for (int i = 0; i < warmup; i++) {
                        backend.download(features.infer(x));
                    }
                    double[] times = new double[repeats];
                    long cpu0 = processCpuNanos();
                    for (int i = 0; i < repeats; i++) {
                        long t0 = System.nanoTime();
                        backend.download(features.infer(x));
                        times[i] = (System.nanoTime() - t0) / 1e9;
                    }
                    double cpuPerImage = (processCpuNanos() - cpu0) / 1e9 / (repeats * batch);
                    double[] sorted = times.clone();
                    Arrays.sort(sorted);
                    double median = repeats % 2 == 1
                            ? sorted[repeats / 2]
                            : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
                    System.err.printf(
                            Locale.ROOT,
                            "%-40s batch %d threads %d: %6.2f images/s (%.3f CPU-seconds per image)%n",
                            name,
                            batch,
                            used,
                            batch / median,
                            cpuPerImage);
                    results.add(String.format(
                            Locale.ROOT,
                            "{\"name\": \"%s\", \"batch\": %d, \"threads\": %d, \"median_s\": %.6f, \"images_per_s\": %.4f, "
                                    + "\"cpu_s_per_image\": %.5f, \"times_s\": %s}",
                            name,
                            batch,
                            used,
                            median,
                            batch / median,
                            cpuPerImage,
                            Arrays.toString(times)));
                }
            }
            features.close();
        }
        String out = String.format(
                Locale.ROOT,
                "{\"framework\": \"cxr %s\", \"isa\": \"%s\", \"results\": [%s]}%n",
                Runtime.version(),
                CpuSimd.describe().replace("\"", "'"),
                String.join(", ", results));
        if (json == null) {
            System.out.print(out);
        } else {
            try {
                Files.writeString(json, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
