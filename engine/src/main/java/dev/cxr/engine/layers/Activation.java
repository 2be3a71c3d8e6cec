package dev.cxr.engine.layers;

/** The activation fused into a Conv2d or Dense layer, as Keras's {@code activation=} argument. */
public enum Activation {
    LINEAR,
    RELU
}
