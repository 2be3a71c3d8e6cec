package dev.cxr.benchmarks;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Heap a VGG16 features forward needs: runs a few forward passes at the given batch (default 8)
 * and prints the heap in use after a full GC at the end (the live set: weights, transformed
 * kernels, the outputs the layers keep, work buffers) and the sum of the heap pools' peaks during
 * the passes (an upper bound of the peak, garbage included). Mode {@code infer} (the default) runs
 * {@code Sequential.infer}, as the benchmark and cxr's frozen base do; {@code forward} runs the
 * layers one by one with {@code forward(x, false)}, and also prints the largest heap in use seen
 * after any layer. Run it under -Xmx1g to show the forward fits:
 * {@code java --add-modules jdk.incubator.vector -Xmx1g -cp benchmarks/target/benchmarks.jar dev.cxr.benchmarks.PeakHeap 8 0 infer}.
 */
public final class PeakHeap {
    private PeakHeap() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        boolean layerByLayer = args.length > 2 && args[2].equals("forward");
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
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
                pools.forEach(MemoryPoolMXBean::resetPeakUsage);
                long sampled = 0;
                for (int i = 0; i < 3; i++) {
                    if (layerByLayer) {
                        Tensor t = x;
                        for (Layer layer : features.layers()) {
                            t = layer.forward(t, false);
                            sampled = Math.max(
                                    sampled, memory.getHeapMemoryUsage().getUsed());
                        }
                        backend.download(t);
                    } else {
                        backend.download(features.infer(x));
                    }
                }
                long poolPeaks = pools.stream()
                        .mapToLong(p -> p.getPeakUsage().getUsed())
                        .sum();
                System.gc();
                long live = memory.getHeapMemoryUsage().getUsed();
                long max = Runtime.getRuntime().maxMemory();
                System.out.printf(
                        Locale.ROOT,
                        "batch %d %s: live after GC %.0f MB, heap pools' peaks %.0f MB%s, -Xmx %.0f MB%n",
                        batch,
                        layerByLayer ? "forward, layer by layer" : "infer",
                        live / 1048576.0,
                        poolPeaks / 1048576.0,
                        layerByLayer
                                ? String.format(
                                        Locale.ROOT, ", largest in use after a layer %.0f MB", sampled / 1048576.0)
                                : "",
                        max / 1048576.0);
            }
            features.close();
        }
    }
}
