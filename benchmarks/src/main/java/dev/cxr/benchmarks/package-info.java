/**
 * JMH benchmarks of forward passes: the whole VGG16 features network in images per second, and
 * each of its 13 convolutions in GFLOP/s. Built into {@code benchmarks/target/benchmarks.jar}.
 */
package dev.cxr.benchmarks;
