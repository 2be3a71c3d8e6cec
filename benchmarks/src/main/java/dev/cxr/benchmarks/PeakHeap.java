package dev.cxr.benchmarks;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import dev.cxr.engine.layers.Layer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Heap a VGG16 features forward needs: runs a few forward passes at the given batch (default 8),
 * layer by layer, and prints the largest heap in use seen after any layer (garbage included) and
 * the heap in use after a full GC at the end (the live set: weights, transformed kernels, every
 * layer's output, work buffers). Run it under -Xmx1g to show the forward fits:
 * {@code java --add-modules jdk.incubator.vector -Xmx1g -cp benchmarks/target/benchmarks.jar dev.cxr.benchmarks.PeakHeap 8}.
 */
public final class PeakHeap {
    private PeakHeap() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        try (Backend backend = Backends.open(Device.CPU, 0, threads, notice -> System.err.println(notice))) {
            Sequential features = Vgg16.features(backend);
            Vgg16.initialize(features, new SplittableRandom(1));
            float[] pixels = new float[batch * 3 * Vgg16.INPUT_SIZE * Vgg16.INPUT_SIZE];
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble();
            }
            try (Tensor x = backend.upload(Shape.of(batch, 3, Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE), pixels)) {
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                long peak = 0;
                for (int i = 0; i < 3; i++) {
                    Tensor t = x;
                    for (Layer layer : features.layers()) {
                        t = layer.forward(t, false);
                        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                    }
                    backend.download(t);
                }
                System.gc();
                long live = memory.getHeapMemoryUsage().getUsed();
                long max = Runtime.getRuntime().maxMemory();
                System.out.printf(Locale.ROOT, "batch %d forward: peak heap in use %.0f MB (sampled after each layer),"
                        + " live after GC %.0f MB, -Xmx %.0f MB%n", batch, peak / 1048576.0, live / 1048576.0, max / 1048576.0);
            }
            features.close();
        }
    }
}
