/**
 * {@code cxr-spark.jar}: prediction over an image archive as an Apache Spark job. The driver lists
 * the archive with Spark's {@code binaryFile} source and ships the model's bytes; each executor JVM
 * keeps its VGG16 bases and heads loaded across tasks ({@link dev.cxr.spark.ExecutorModels}), reads
 * each partition's files and predicts them in batches ({@link dev.cxr.spark.PredictPartition}), one
 * row per file, a bad file a row with its error; Spark's file committer writes the rows to Parquet or
 * CSV, so a retried task never leaves its rows twice. {@link dev.cxr.spark.PredictArchive} is the
 * command line.
 */
package dev.cxr.spark;
