package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.layers.Activation;
import dev.cxr.engine.layers.Conv2d;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.MaxPool2d;
import dev.cxr.engine.layers.Padding;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.engine.testing.Data;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A measured run of the VGG16 features forward pass on the GPU (gpu/run.sh runs it beside JMH and
 * PyTorch): per batch size, warm-up passes, then timed passes, each ended by a stream synchronize;
 * the median gives images/s. "resident" times the forward pass with the batch already on the GPU
 * (what PyTorch's number means); "with copies" adds uploading the batch and downloading block5_pool.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.cxr.engine.backend.cuda.CudaVgg16Timing [batch ...]</pre>
 */
public final class CudaVgg16Timing {
    private static final int[][] BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
    private static final int WARMUP = 5;
    private static final int RUNS = 20;

    private CudaVgg16Timing() {}

    public static void main(String[] args) {
        CudaStatus status = CudaProbe.status();
        if (!status.usable()) {
            System.out.println("CudaVgg16Timing: skipped, no usable GPU: " + status.reason());
            return;
        }
        int[] batches = args.length == 0
                ? new int[] {1, 8, 32}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        try (CudaBackend gpu = CudaBackend.open(0)) {
            System.out.println("providers: " + gpu.providers());
            List<Layer> layers = new ArrayList<>();
            int in = 3;
            SplittableRandom init = new SplittableRandom(1);
            for (int b = 0; b < BLOCKS.length; b++) {
                for (int c = 0; c < BLOCKS[b].length; c++) {
                    Conv2d conv = new Conv2d(
                            gpu,
                            "block" + (b + 1) + "_conv" + (c + 1),
                            in,
                            BLOCKS[b][c],
                            3,
                            1,
                            Padding.SAME,
                            Activation.RELU);
                    layers.add(conv.initialize(init));
                    in = BLOCKS[b][c];
                }
                layers.add(new MaxPool2d(gpu, "block" + (b + 1) + "_pool", 2, 2));
            }
            try (Sequential vgg = new Sequential("vgg16", layers)) {
                for (int batch : batches) {
                    Shape xs = Shape.of(batch, 3, 224, 224);
                    float[] host = Data.uniform(xs.size(), 1f, batch);
                    double[] resident = new double[RUNS];
                    double[] withCopies = new double[RUNS];
                    try (Tensor x = gpu.upload(xs, host)) {
                        for (int i = 0; i < WARMUP; i++) {
                            vgg.forward(x, false);
                        }
                        gpu.synchronize();
                        for (int i = 0; i < RUNS; i++) {
                            long t0 = System.nanoTime();
                            vgg.forward(x, false);
                            gpu.synchronize();
                            resident[i] = (System.nanoTime() - t0) / 1e6;
                        }
                        for (int i = 0; i < RUNS; i++) {
                            long t0 = System.nanoTime();
                            try (Tensor xi = gpu.upload(xs, host)) {
                                gpu.download(vgg.forward(xi, false));
                            }
                            withCopies[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    double r = median(resident);
                    double c = median(withCopies);
                    System.out.printf(
                            Locale.ROOT,
                            "cxr-timing vgg16-features batch=%d resident: %.2f ms, %.1f images/s; with copies: %.2f ms, %.1f images/s%n",
                            batch,
                            r,
                            batch * 1000 / r,
                            c,
                            batch * 1000 / c);
                }
            }
            gpu.convolutionPlans().forEach(p -> System.out.println("plan " + p));
            long[] mem = gpu.memoryInfo();
            System.out.printf(
                    Locale.ROOT,
                    "GPU memory free after the runs: %.1f of %.1f GiB%n",
                    mem[0] / (double) (1L << 30),
                    mem[1] / (double) (1L << 30));
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
