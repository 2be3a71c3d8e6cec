package dev.cxr.benchmarks;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
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
 * VGG16's features (13 convolutions with ReLU, 5 max pools) forward on 224x224x3 seeded random
 * images, with Keras's default random initialisation. Throughput mode: the primary score is forward
 * passes per second; the {@code images} counter is images per second (passes times the batch).
 * The fork runs with -Xmx1g, so a batch-8 forward is shown to fit in 1 GB of heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class Vgg16ForwardBenchmark {
    /** What {@code --device} takes: cpu (the fast CPU backend); gpu once a CUDA backend exists. */
    @Param({"cpu"})
    public String device;

    @Param({"1", "8"})
    public int batch;

    /** CPU worker threads; 0 means all cores (what {@code --threads} defaults to). */
    @Param({"0"})
    public int threads;

    /**
     * true: {@code Sequential.infer}, which runs each convolution and its max pool as one op where
     * the backend fuses them (the fast CPU backend does); false: {@code forward(x, false)}, layer
     * by layer.
     */
    @Param({"true"})
    public boolean fused;

    private Backend backend;
    private Sequential features;
    private Tensor input;

    /** Images processed, reported per second by JMH. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Images {
        public long images;

        @Setup(Level.Iteration)
        public void reset() {
            images = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.open(Device.parse(device), 0, threads, notice -> System.err.println(notice));
        features = Vgg16.features(backend);
        Vgg16.initialize(features, new SplittableRandom(1));
        float[] pixels = new float[batch * 3 * Vgg16.INPUT_SIZE * Vgg16.INPUT_SIZE];
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        input = backend.upload(Shape.of(batch, 3, Vgg16.INPUT_SIZE, Vgg16.INPUT_SIZE), pixels);
    }

    /** One forward pass; downloading the 7x7x512 output makes an asynchronous backend finish it. */
    @Benchmark
    public float[] forward(Images counter) {
        float[] out = backend.download(fused ? features.infer(input) : features.forward(input, false));
        counter.images += batch;
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
        features.close();
        backend.close();
    }
}
