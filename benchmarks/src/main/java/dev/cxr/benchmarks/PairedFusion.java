package dev.cxr.benchmarks;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The max-pool fusion measured on a shared machine: VGG16's features forward layer by layer
 * ({@code forward(x, false)}) and through {@code Sequential.infer} (convolution and max pool as one
 * op), alternating pass by pass in one JVM so that both see the same load, after 3 warm-up rounds;
 * prints each path's median and fastest pass. JMH's {@code -p fused=false,true} runs the two in
 * separate forks, minutes apart, where this machine's drift is as large as the difference.
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.cxr.benchmarks.PairedFusion 8 30}
 */
public final class PairedFusion {
    private PairedFusion() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        try (Backend backend = Backends.open(Device.CPU, 0, threads, notice -> System.err.println(notice))) {
            Sequential features = Vgg16.features(backend);
            Vgg16.initialize(features, new SplittableRandom(1));
            float[] pixels = new float[batch * 3 * Vgg16.INPUT_SIZE * Vgg16.INPUT_SIZE];
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble();
            }
            double[][] ms = new double[2][rounds];
            try (Tensor x = backend.upload(Shape.of(batch, 3, Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE), pixels)) {
                for (int round = -3; round < rounds; round++) {
                    for (int path = 0; path < 2; path++) {
                        long t0 = System.nanoTime();
                        backend.download(path == 0 ? features.forward(x, false) : features.infer(x));
                        if (round >= 0) {
                            ms[path][round] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
            }
            for (int path = 0; path < 2; path++) {
                double[] sorted = ms[path].clone();
                Arrays.sort(sorted);
                double median = sorted[rounds / 2];
                System.out.printf(
                        Locale.ROOT,
                        "batch %d, %-22s median %.1f ms (%.2f images/s), fastest %.1f ms%n",
                        batch,
                        path == 0 ? "layer by layer:" : "infer (fused):",
                        median,
                        batch * 1000 / median,
                        sorted[0]);
            }
            features.close();
        }
    }
}
