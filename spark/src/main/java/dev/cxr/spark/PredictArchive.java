package dev.cxr.spark;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.backend.Device;
import dev.cxr.model.classifier.ModelFile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job's command line, what {@code spark-submit --class dev.cxr.spark.PredictArchive
 * cxr-spark.jar ...} runs on the driver: predicts every image under {@code --input} with a
 * {@code model.h5} of {@code cxr train} and writes one row per image to {@code --output}. Errors the
 * user can fix end in one line and exit code 1 (a wrong option: 2), as the {@code cxr} command's.
 * Images that cannot be used are rows with their error, and the job still succeeds.
 */
@Command(
        name = "cxr-spark",
        mixinStandardHelpOptions = true,
        description = {
            "Predict every image of an archive (a folder, HDFS, S3) with a model.h5 written by 'cxr train',"
                    + " as a Spark job: one row per image (path, predicted, p_<class>..., error, model_md5) in Parquet or CSV.",
            "Run it with spark-submit --class dev.cxr.spark.PredictArchive cxr-spark.jar OPTIONS.",
            "Educational only: not a medical device, not for diagnosis."
        })
public final class PredictArchive implements Callable<Integer> {
    public static final int EXIT_USER_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 70;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "DIR|URI",
            description = "Folder or URI of the archive (file:, hdfs://, s3a://, ...), searched recursively.")
    String input;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR|URI",
            description = "Folder to write; must not exist yet. Complete when it holds _SUCCESS.")
    String output;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE|URI",
            description = "A model.h5 written by 'cxr train'.")
    String model;

    @Option(
            names = "--weights",
            required = true,
            paramLabel = "FILE|URI|local:PATH",
            description = {
                "The VGG16 weights the model was trained on: a file on the driver or a URI, which Spark copies"
                        + " to each executor once, or local:/path for a file already on every node."
            })
    String weights;

    @Option(
            names = "--format",
            paramLabel = "parquet|csv",
            defaultValue = "parquet",
            description = "Output format. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "8",
            description = "Images per forward pass (memory: about 60 MB each). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|gpu",
            defaultValue = "auto",
            description =
                    "Where executors run the network: auto (a GPU if usable, else the CPU), cpu, gpu, or reference"
                            + " (slow oracle). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--gpu-index",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "The GPU for tasks that Spark's resource scheduling assigned none. Default: ${DEFAULT-VALUE}.")
    int gpuIndex;

    @Option(
            names = "--files-per-task",
            paramLabel = "N",
            defaultValue = "1000",
            description =
                    "Files per Spark task: what a retried task redoes (1000 images: about 2 core-minutes on a CPU,"
                            + " under a second on a GPU); fewer while there are fewer tasks than task slots. Default: ${DEFAULT-VALUE}.")
    int filesPerTask;

    @Option(
            names = "--all-files",
            description = "Look at every file, not only those named as images: files of other names are predicted when"
                    + " their content is DICOM (every file is opened; its first 132 bytes decide).")
    boolean allFiles;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    private PrintWriter out;
    private PrintWriter err;

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /**
     * Runs the command line in this JVM, on the active Spark session or a new one (its master from
     * spark-submit or {@code -Dspark.master}); returns the exit code. The session is left running.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        PredictArchive command = new PredictArchive();
        command.out = out;
        command.err = err;
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (parseResult.hasMatchedOption("--verbose")) {
                ex.printStackTrace(err);
            }
            String line = userError(ex);
            if (line != null) {
                err.println("cxr-spark: " + line);
                err.flush();
                return EXIT_USER_ERROR;
            }
            err.println("cxr-spark: internal error: " + firstLine(ex)
                    + (parseResult.hasMatchedOption("--verbose") ? "" : " (run with --verbose for the stack trace)"));
            err.flush();
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            err.println("cxr-spark: " + ex.getMessage());
            err.println("           see 'cxr-spark --help'");
            err.flush();
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        Consumer<String> log = msg -> {
            err.println("cxr-spark: " + msg);
            err.flush();
        };
        ArchivePrediction.Job job = new ArchivePrediction.Job(
                input,
                output,
                ArchivePrediction.Format.parse(format),
                model,
                weights,
                Device.parse(device),
                gpuIndex,
                batchSize,
                filesPerTask,
                allFiles);
        if (batchSize < 1) {
            throw new CxrException("--batch-size must be at least 1, got " + batchSize);
        }
        if (filesPerTask < 1) {
            throw new CxrException("--files-per-task must be at least 1, got " + filesPerTask);
        }
        if (gpuIndex < 0) {
            throw new CxrException("--gpu-index must be 0 or more, got " + gpuIndex);
        }
        SparkSession spark =
                SparkSession.builder().appName("cxr predict " + input).getOrCreate();
        long start = System.nanoTime();
        ArchivePrediction.Summary s = ArchivePrediction.run(spark, job, log);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(
                java.util.Locale.ROOT,
                "wrote %d rows to %s in %.1f s%s%n",
                s.rows(),
                s.output(),
                seconds,
                s.failed() == 0 ? "" : " (" + s.failed() + " images could not be used: see the error column)");
        out.flush();
        log.accept(String.format(
                java.util.Locale.ROOT,
                "tasks spent %.1f s reading and predicting: %.2f files per"
                        + " task-second (a task uses spark.task.cpus = %s cores)",
                s.taskSeconds(),
                s.rowsPerTaskSecond(),
                spark.conf().get("spark.task.cpus", "1")));
        log.accept(ModelFile.DISCLAIMER);
        return 0;
    }

    /**
     * The one line for an error the user can fix: a {@link CxrException} anywhere in the chain (an
     * executor's arrives inside Spark's) with the option that fixes it, or Spark's own analysis
     * errors (a path it cannot use); null for anything else.
     */
    static String userError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof CxrException e) {
                return remedyLine(e);
            }
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof AnalysisException) {
                return firstLine(t);
            }
        }
        return null;
    }

    /**
     * The message, then what to change in this job's terms (the engine names no options; the CPU
     * threads are the task's cores, so Spark's setting is named for them).
     */
    static String remedyLine(CxrException e) {
        String hint = switch (e.remedy()) {
            case NONE -> null;
            case USE_THE_CPU -> "use --device cpu or auto";
            case ANOTHER_GPU ->
                "choose one with --gpu-index, or let Spark assign GPUs (spark.task.resource.gpu.amount)";
            case THREAD_COUNT -> "set the task's cores with spark.task.cpus";
            case SMALLER_BATCHES -> "use a smaller --batch-size";
        };
        return hint == null ? e.getMessage() : e.getMessage() + "; " + hint;
    }

    /** The first line of an exception's message (Spark's run to many lines). */
    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
