/** Optimizers: Adam as Keras runs it, with the legacy per-step learning-rate decay. */
package dev.cxr.engine.optim;
