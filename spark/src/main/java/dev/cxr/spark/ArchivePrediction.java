package dev.cxr.spark;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Device;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.weights.Vgg16Weights;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;

/**
 * The driver's side of the job: checks what it was given before any task starts (the model, the
 * weights where the driver can read them, the input, a free output), lists the archive with Spark's
 * {@code binaryFile} source (recursively, by file name unless {@code allFiles}; Spark leaves out
 * names starting with {@code .} or {@code _}), cuts the sorted list into tasks of
 * {@code filesPerTask} files (more, smaller ones while there are fewer tasks than cores), predicts them on the executors ({@link PredictPartition}) and writes
 * the rows as Parquet or CSV through Spark's file committer: each task writes to its attempt's
 * temporary folder and only committed attempts are moved into the output, which is complete when
 * its {@code _SUCCESS} file is there.
 *
 * <p>Tasks are cut by count, not by bytes as Spark's file scans cut them: every image is resized
 * to 224x224, so the network's work per image does not depend on its file size; and a scan would
 * skip empty files, which are bad files that need their rows. The files' content is read on the
 * executors, never on the driver.
 */
final class ArchivePrediction {
    /** The largest model file read (a VGG16 head is 130 kB). */
    private static final int MAX_MODEL_BYTES = 64 << 20;

    /** How the rows are written. */
    enum Format {
        PARQUET,
        CSV;

        static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CxrException("unknown --format '" + text + "': use parquet or csv");
            }
        }
    }

    /**
     * What the job was asked to do; paths are Hadoop paths or URIs ({@code /data}, {@code hdfs://...},
     * {@code s3a://...}), the weights also {@code local:/path} ({@link WeightsLocation}).
     */
    record Job(
            String input,
            String output,
            Format format,
            String model,
            String weights,
            Device device,
            int gpuIndex,
            int batchSize,
            int filesPerTask,
            boolean allFiles) {}

    /**
     * What was written, and the task-seconds spent reading and predicting it (each task counted
     * once; with {@code spark.task.cpus} = 1, core-seconds of the executors).
     */
    record Summary(long rows, long failed, String output, double taskSeconds) {
        /** Rows per task-second: the throughput of one task slot. */
        double rowsPerTaskSecond() {
            return taskSeconds > 0 ? rows / taskSeconds : 0;
        }
    }

    private ArchivePrediction() {}

    static Summary run(SparkSession spark, Job job, Consumer<String> log) {
        QuietLogs.jhdf();
        Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
        byte[] modelBytes = readModelBytes(conf, job.model());
        String modelMd5 = md5(modelBytes);
        // read here too, so that a wrong file is one line now, not a failed task on every executor
        ModelFile model = ExecutorModels.readModel(modelBytes, modelMd5, job.model());
        requireExists(conf, job.input(), "input");
        requireAbsent(conf, job.output());
        checkWeightsOnDriver(job.weights(), model);
        WeightsLocation weights = WeightsLocation.distribute(spark.sparkContext(), job.weights());
        ModelSpec spec = new ModelSpec(modelBytes, modelMd5, weights, job.device(), job.gpuIndex(), job.batchSize());

        DataFrameReader reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        String glob = ArchiveFiles.nameGlob(job.allFiles());
        if (glob != null) {
            reader = reader.option("pathGlobFilter", glob);
        }
        // the listing only: Spark's scans of it would drop empty files, which must get their error rows
        List<String> files =
                new ArrayList<>(Arrays.asList(reader.load(job.input()).inputFiles()));
        if (files.isEmpty()) {
            throw new CxrException("no " + (job.allFiles() ? "files" : "image files") + " under " + job.input()
                    + (job.allFiles()
                            ? ""
                            : " (images are named *.jpg, .jpeg, .png, .bmp, .tif, .tiff or .dcm in any case;"
                                    + " --all-files also finds DICOM files of any name)"));
        }
        Collections.sort(files);
        int tasks = tasks(files.size(), job.filesPerTask(), spark.sparkContext().defaultParallelism());
        log.accept("model " + job.model() + " (md5 " + spec.modelMd5() + ", classes " + model.classes() + "), weights "
                + weights + ", device " + job.device() + ", batch " + job.batchSize() + "; " + files.size()
                + (job.allFiles() ? " files" : " images") + " under " + job.input() + ", " + tasks + " tasks");

        OutputRows rows = new OutputRows(model.classes());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<HadoopConf> broadcastConf = jsc.broadcast(new HadoopConf(conf));
        LongAccumulator taskNanos =
                spark.sparkContext().longAccumulator("cxr: task nanoseconds reading and predicting");
        JavaRDD<Row> predictedRows = jsc.parallelize(files, tasks)
                .mapPartitions(new PredictPartition(spec, rows, broadcastConf, job.allFiles(), taskNanos));
        Dataset<Row> predicted = spark.createDataFrame(predictedRows, rows.schema());
        spark.sparkContext().setJobDescription("cxr: predict " + files.size() + " files under " + job.input());
        var writer = predicted.write().mode(SaveMode.ErrorIfExists);
        if (job.format() == Format.CSV) {
            writer.option("header", "true").csv(job.output());
        } else {
            writer.parquet(job.output());
        }
        spark.sparkContext().setJobDescription(null);

        Dataset<Row> written = job.format() == Format.CSV
                ? spark.read().option("header", "true").schema(rows.schema()).csv(job.output())
                : spark.read().parquet(job.output());
        long total = written.count();
        long failed = written.where(functions.col(OutputRows.ERROR).isNotNull()).count();
        return new Summary(total, failed, job.output(), taskNanos.value() / 1e9);
    }

    /**
     * How many tasks predict {@code files} files: one per {@code filesPerTask} of them, but at least
     * one per task slot the cluster has now ({@code slots}, Spark's default parallelism) while there
     * are files for them, so that a small archive still keeps every core busy.
     */
    static int tasks(int files, int filesPerTask, int slots) {
        long byCount = (files + (long) filesPerTask - 1) / filesPerTask;
        return (int) Math.max(byCount, Math.min(files, Math.max(1, slots)));
    }

    private static byte[] readModelBytes(Configuration conf, String model) {
        Path p = new Path(model);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(p);
            } catch (FileNotFoundException e) {
                status = null;
            }
            if (status == null || !status.isFile()) {
                throw new CxrException("model file " + model + " not found");
            }
            long length = status.getLen();
            if (length > MAX_MODEL_BYTES) {
                throw new CxrException(
                        model + " is not a cxr model file (" + length + " bytes; a model.h5 is about 130 kB)");
            }
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new CxrException("cannot read model file " + model + " (" + PredictArchive.firstLine(e) + ")", e);
        }
    }

    private static void requireExists(Configuration conf, String path, String what) {
        Path p = new Path(path);
        try {
            if (!p.getFileSystem(conf).exists(p)) {
                throw new CxrException(what + " " + path + " not found");
            }
        } catch (IOException e) {
            throw new CxrException("cannot look at " + what + " " + path + " (" + PredictArchive.firstLine(e) + ")", e);
        }
    }

    private static void requireAbsent(Configuration conf, String output) {
        Path p = new Path(output);
        try {
            if (p.getFileSystem(conf).exists(p)) {
                throw new CxrException("output " + output + " already exists: the job writes a new folder; give another"
                        + " --output or remove this one");
            }
        } catch (IOException e) {
            throw new CxrException("cannot look at output " + output + " (" + PredictArchive.firstLine(e) + ")", e);
        }
    }

    /**
     * Where the driver can read the weights, checks them against the model (md5 of the whole file,
     * 0.2 s for 59 MB) so that wrong weights are one line before any executor loads them.
     */
    private static void checkWeightsOnDriver(String weights, ModelFile model) {
        java.nio.file.Path local = WeightsLocation.onDriver(weights);
        if (local == null) {
            return;
        }
        if (!Files.isRegularFile(local)) {
            throw new CxrException(
                    "weights file " + weights + " not found (a path on the driver, hdfs://..., s3a://...,"
                            + " or local:/path for a file already on every node)");
        }
        String md5 = Vgg16Weights.md5(local);
        if (!md5.equals(model.baseMd5())) {
            throw new CxrException("the model was trained on VGG16 weights with md5 " + model.baseMd5() + ", but "
                    + weights + " has md5 " + md5 + ": pass the weights it was trained with (--weights FILE)");
        }
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
