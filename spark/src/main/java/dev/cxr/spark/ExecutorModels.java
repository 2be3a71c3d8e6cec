package dev.cxr.spark;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.model.classifier.Classifier;
import dev.cxr.model.classifier.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The classifiers an executor JVM has loaded, kept across its tasks: loading VGG16 takes 0.3 s and
 * its 59 MB, so a task borrows a loaded one and gives it back when it ends. They are keyed by the
 * model's md5 and everything else that makes two of them differ (weights file, device, GPU, threads,
 * batch size). A classifier runs one batch at a time, so an executor running several tasks at once
 * holds one per concurrent task (each about 60 MB of weights plus 60 MB of activations per image
 * of its batch), never more; run one task per executor ({@code spark.task.cpus} =
 * {@code spark.executor.cores}) to hold exactly one, working on all the cores.
 *
 * <p>This is the one static state in cxr, and it has to be: Spark gives an executor's tasks nothing
 * they share but the JVM. Only this class touches it.
 */
final class ExecutorModels {
    /** What makes two loaded classifiers differ. */
    record Key(String modelMd5, Path weights, Device device, int gpuIndex, int threads, int batchSize) {}

    /** A loaded classifier and the backend it runs on, owned together. */
    private record Loaded(Backend backend, Classifier classifier) implements AutoCloseable {
        @Override
        public void close() {
            try (backend) {
                classifier.close();
            }
        }
    }

    /** A borrowed classifier: given back with {@link #close()}, or dropped with {@link #discard()}. */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private Loaded loaded;

        private Lease(Key key, Loaded loaded) {
            this.key = key;
            this.loaded = loaded;
        }

        Classifier classifier() {
            return loaded.classifier();
        }

        /** Closes it instead of giving it back: after a failure, its backend may be in a bad state. */
        void discard() {
            if (loaded != null) {
                loaded.close();
                loaded = null;
            }
        }

        @Override
        public void close() {
            if (loaded != null) {
                giveBack(key, loaded);
                loaded = null;
            }
        }
    }

    private static final Map<Key, Deque<Loaded>> IDLE = new HashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();

    private ExecutorModels() {}

    /**
     * A classifier for {@code key}: an idle one, else a new one loaded from the spec's model bytes
     * and the weights at {@code key.weights()}.
     *
     * @param notice where one-line notices go (the CPU fallback of {@code --device auto})
     * @throws CxrException when the model or the weights cannot be used
     */
    static Lease borrow(Key key, ModelSpec spec, Consumer<String> notice) {
        synchronized (IDLE) {
            Deque<Loaded> idle = IDLE.get(key);
            if (idle != null && !idle.isEmpty()) {
                return new Lease(key, idle.pop());
            }
        }
        return new Lease(key, open(key, spec, notice));
    }

    private static Loaded open(Key key, ModelSpec spec, Consumer<String> notice) {
        QuietLogs.jhdf();
        ModelFile model = readModel(spec.model(), spec.modelMd5(), "the model with md5 " + spec.modelMd5());
        Backend backend = Backends.open(key.device(), key.gpuIndex(), key.threads(), notice);
        try {
            Classifier classifier = Classifier.open(backend, model, key.weights(), key.batchSize());
            OPENED.incrementAndGet();
            return new Loaded(backend, classifier);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * The model from its bytes (jhdf reads files, so through a temporary one); errors name it
     * {@code shownAs}.
     */
    static ModelFile readModel(byte[] bytes, String md5, String shownAs) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("cxr-model-" + md5, ".h5");
            Files.write(tmp, bytes);
            return ModelFile.read(tmp);
        } catch (IOException e) {
            throw new CxrException("cannot write the model to a temporary file (" + e.getMessage() + ")", e);
        } catch (CxrException e) {
            throw new CxrException(e.getMessage().replace(tmp.toString(), shownAs), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    private static void giveBack(Key key, Loaded loaded) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(key, k -> new ArrayDeque<>()).push(loaded);
        }
    }

    /** How many classifiers this JVM has loaded so far (the driver's, in local mode). */
    static int opened() {
        return OPENED.get();
    }

    /** Closes every idle classifier (the driver at its end, in local mode). */
    static void closeIdle() {
        List<Loaded> all = new ArrayList<>();
        synchronized (IDLE) {
            IDLE.values().forEach(all::addAll);
            IDLE.clear();
        }
        all.forEach(Loaded::close);
    }
}
