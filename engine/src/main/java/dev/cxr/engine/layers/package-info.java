/** Layers with forward and backward, owning their parameters, and the Sequential container. */
package dev.cxr.engine.layers;
