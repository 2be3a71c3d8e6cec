package dev.cxr.benchmarks;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.ConvSpec;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each of VGG16's 13 convolutions (3x3, stride 1, 'same', bias and ReLU) alone, on seeded random
 * data. The {@code gflop} counter is reported per second, so its score is GFLOP/s, counted as direct
 * convolution does the work: 2 x N x K x C x 9 x H x W (a multiply-add is 2 FLOPs), whatever the
 * algorithm. Winograd does fewer multiplications, so its figure can exceed the machine's peak.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class ConvLayerBenchmark {
    /** VGG16's convolutions: name, input channels, output channels, image side. */
    static final Object[][] LAYERS = {
        {"block1_conv1", 3, 64, 224},
        {"block1_conv2", 64, 64, 224},
        {"block2_conv1", 64, 128, 112},
        {"block2_conv2", 128, 128, 112},
        {"block3_conv1", 128, 256, 56},
        {"block3_conv2", 256, 256, 56},
        {"block3_conv3", 256, 256, 56},
        {"block4_conv1", 256, 512, 28},
        {"block4_conv2", 512, 512, 28},
        {"block4_conv3", 512, 512, 28},
        {"block5_conv1", 512, 512, 14},
        {"block5_conv2", 512, 512, 14},
        {"block5_conv3", 512, 512, 14},
    };

    @Param({"cpu"})
    public String device;

    @Param({
        "block1_conv1",
        "block1_conv2",
        "block2_conv1",
        "block2_conv2",
        "block3_conv1",
        "block3_conv2",
        "block3_conv3",
        "block4_conv1",
        "block4_conv2",
        "block4_conv3",
        "block5_conv1",
        "block5_conv2",
        "block5_conv3"
    })
    public String layer;

    @Param({"8"})
    public int batch;

    /** CPU worker threads; 0 means all cores. */
    @Param({"0"})
    public int threads;

    private Backend backend;
    private Tensor x;
    private Tensor w;
    private Tensor bias;
    private Tensor y;
    private ConvSpec spec;
    private double gflopPerCall;

    /** Work done, in GFLOP (direct-convolution count), reported per second by JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Object[] row = null;
        for (Object[] l : LAYERS) {
            if (l[0].equals(layer)) {
                row = l;
            }
        }
        if (row == null) {
            throw new IllegalArgumentException("unknown layer " + layer);
        }
        int c = (Integer) row[1];
        int k = (Integer) row[2];
        int side = (Integer) row[3];
        backend = Backends.open(Device.parse(device), 0, threads, notice -> System.err.println(notice));
        SplittableRandom random = new SplittableRandom(3);
        x = backend.upload(Shape.of(batch, c, side, side), uniform(batch * c * side * side, 0f, 1f, random));
        float limit = (float) Math.sqrt(6.0 / (9 * (c + k)));
        w = backend.upload(Shape.of(k, c, 3, 3), uniform(k * c * 9, -limit, limit, random));
        bias = backend.upload(Shape.of(k), uniform(k, -0.05f, 0.05f, random));
        y = backend.zeros(Shape.of(batch, k, side, side));
        spec = ConvSpec.same(3, 3, 1, 1, side, side);
        gflopPerCall = 2.0 * batch * k * c * 9 * side * side / 1e9;
    }

    private static float[] uniform(int n, float lo, float hi, SplittableRandom random) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return a;
    }

    @Benchmark
    public Tensor conv(Work work) {
        backend.conv2dForward(x, w, bias, y, spec, true);
        work.gflop += gflopPerCall;
        return y;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        w.close();
        bias.close();
        y.close();
        backend.close();
    }
}
