package dev.cxr.spark;

import dev.cxr.model.eval.Predictor;
import dev.cxr.model.features.BytesSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.util.TaskFailureListener;

/**
 * One task's work, on an executor: the partition's files (URIs, as Spark listed them) in, one
 * output row per image out ({@link OutputRows}), in the same order. Files are read and predicted
 * {@code batchSize} images at a time, lazily as Spark writes the rows, so a partition of any size
 * holds one batch of files in memory. The classifier is borrowed from {@link ExecutorModels} when
 * the first image arrives (an empty partition loads nothing) and given back when the task ends.
 *
 * <p>The same partition always gives the same rows, whatever the attempt: a retried or speculative
 * task writes what the first attempt would have, and Spark's committer keeps one attempt's file.
 */
final class PredictPartition implements FlatMapFunction<Iterator<String>, Row> {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final OutputRows rows;
    private final Broadcast<HadoopConf> hadoopConf;
    private final boolean allFiles;
    private final LongAccumulator taskNanos;

    /**
     * @param taskNanos adds the time each task spends reading and predicting (not Spark's writing);
     *                  Spark counts a task's additions once, whatever its retries
     */
    PredictPartition(
            ModelSpec spec,
            OutputRows rows,
            Broadcast<HadoopConf> hadoopConf,
            boolean allFiles,
            LongAccumulator taskNanos) {
        this.spec = Objects.requireNonNull(spec);
        this.rows = Objects.requireNonNull(rows);
        this.hadoopConf = Objects.requireNonNull(hadoopConf);
        this.allFiles = allFiles;
        this.taskNanos = Objects.requireNonNull(taskNanos);
    }

    @Override
    public Iterator<Row> call(Iterator<String> listed) {
        ArchiveFiles files = new ArchiveFiles(hadoopConf.value().get(), allFiles);
        return new Iterator<>() {
            private final Deque<Row> ready = new ArrayDeque<>();
            private ExecutorModels.Lease lease;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && listed.hasNext()) {
                    long start = System.nanoTime();
                    nextBatch();
                    taskNanos.add(System.nanoTime() - start);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            /** Reads files until a batch of them is readable (or the partition ends), and predicts them. */
            private void nextBatch() {
                List<ArchiveFiles.Entry> entries = new ArrayList<>();
                int readable = 0;
                while (readable < spec.batchSize() && listed.hasNext()) {
                    List<String> chunk = new ArrayList<>();
                    while (chunk.size() < spec.batchSize() - readable && listed.hasNext()) {
                        chunk.add(listed.next());
                    }
                    // read in parallel: on HDFS or S3 each file is a round trip
                    ArchiveFiles.Entry[] read = new ArchiveFiles.Entry[chunk.size()];
                    IntStream.range(0, chunk.size()).parallel().forEach(i -> read[i] = files.read(chunk.get(i)));
                    for (ArchiveFiles.Entry e : read) {
                        if (e != null) {
                            entries.add(e);
                            readable += e.readable() ? 1 : 0;
                        }
                    }
                }
                List<BytesSource> sources = entries.stream()
                        .filter(ArchiveFiles.Entry::readable)
                        .map(ArchiveFiles.Entry::source)
                        .toList();
                Iterator<Predictor.Row> predicted = sources.isEmpty()
                        ? List.<Predictor.Row>of().iterator()
                        : Predictor.predictSources(lease().classifier(), sources)
                                .iterator();
                for (ArchiveFiles.Entry e : entries) {
                    Predictor.Row r =
                            e.readable() ? predicted.next() : new Predictor.Row(e.path(), null, null, e.error());
                    ready.add(rows.of(r, spec.modelMd5()));
                }
            }

            private ExecutorModels.Lease lease() {
                if (lease == null) {
                    lease = borrow();
                }
                return lease;
            }
        };
    }

    /** A loaded classifier for this task's cores and GPU, given back (or, after a failure, closed) when it ends. */
    private ExecutorModels.Lease borrow() {
        TaskContext task = TaskContext.get();
        int threads = task == null ? 0 : task.cpus();
        ExecutorModels.Key key = new ExecutorModels.Key(
                spec.modelMd5(), spec.weights().resolve(), spec.device(), gpuIndex(task), threads, spec.batchSize());
        Consumer<String> notice = msg -> System.err.println("cxr-spark: " + msg);
        ExecutorModels.Lease lease = ExecutorModels.borrow(key, spec, notice);
        if (task != null) {
            task.addTaskFailureListener((TaskFailureListener) (ctx, error) -> lease.discard());
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> lease.close());
        }
        return lease;
    }

    /** The GPU Spark's resource scheduling gave this task ({@code spark.task.resource.gpu.amount}), else {@code --gpu-index}. */
    private int gpuIndex(TaskContext task) {
        if (task != null) {
            Map<String, ResourceInformation> resources = task.resourcesJMap();
            ResourceInformation gpu = resources.get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                return Integer.parseInt(gpu.addresses()[0].trim());
            }
        }
        return spec.gpuIndex();
    }
}
