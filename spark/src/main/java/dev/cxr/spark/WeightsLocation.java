package dev.cxr.spark;

import dev.cxr.engine.CxrException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where executors find the VGG16 weights (59 MB): a file Spark copies to every executor once
 * ({@link SparkContext#addFile}, or {@code spark-submit --files}), read through {@link SparkFiles};
 * or, for {@code local:/path}, a path that is already the same on every node (a shared file system,
 * a container image), read where it is. The name follows Spark's own {@code local:} for jars.
 *
 * @param sparkFile the file's name among the job's files, or null
 * @param localPath the path on every node, or null
 */
record WeightsLocation(String sparkFile, String localPath) implements Serializable {
    static final String LOCAL = "local:";

    WeightsLocation {
        if ((sparkFile == null) == (localPath == null)) {
            throw new IllegalArgumentException(
                    "weights are a Spark file or a local path: " + sparkFile + ", " + localPath);
        }
    }

    /**
     * Where the weights given as {@code --weights} will be: {@code local:/path} as it is; a file
     * already shipped with {@code --files} under the same name as it is; anything else (a path on
     * the driver, {@code hdfs://}, {@code s3a://}) added to the job's files.
     *
     * @throws CxrException when Spark cannot add the file (it does not exist, say)
     */
    static WeightsLocation distribute(SparkContext sc, String weights) {
        if (weights.startsWith(LOCAL)) {
            String path = weights.substring(LOCAL.length());
            return new WeightsLocation(
                    null, path.startsWith("//") ? URI.create("file:" + path).getPath() : path);
        }
        String name = fileName(weights);
        for (String added : CollectionConverters.asJava(sc.listFiles())) {
            if (fileName(added).equals(name)) {
                return new WeightsLocation(name, null);
            }
        }
        try {
            sc.addFile(weights);
        } catch (RuntimeException e) {
            throw new CxrException(
                    "--weights " + weights + ": Spark cannot ship it to the executors (" + PredictArchive.firstLine(e)
                            + ")",
                    e);
        }
        return new WeightsLocation(name, null);
    }

    /** The weights file on this JVM (an executor, or the driver in local mode). */
    Path resolve() {
        return localPath != null ? Path.of(localPath) : Path.of(SparkFiles.get(sparkFile));
    }

    /** The path on the driver, where it can check the weights before any task starts; null when remote. */
    static Path onDriver(String weights) {
        if (weights.startsWith(LOCAL)) {
            return null;
        }
        // Hadoop's reading: a scheme before the first colon makes it a URI, anything else is a path
        org.apache.hadoop.fs.Path p;
        try {
            p = new org.apache.hadoop.fs.Path(weights);
        } catch (IllegalArgumentException e) {
            throw new CxrException("--weights '" + weights + "' is not a path or URI (" + e.getMessage() + ")", e);
        }
        String scheme = p.toUri().getScheme();
        if (scheme == null) {
            return Path.of(weights);
        }
        return "file".equals(scheme) ? Path.of(p.toUri().getPath()) : null;
    }

    private static String fileName(String pathOrUri) {
        String p = pathOrUri.endsWith("/") ? pathOrUri.substring(0, pathOrUri.length() - 1) : pathOrUri;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return sparkFile != null ? "job file " + sparkFile : LOCAL + localPath;
    }
}
