package dev.cxr.engine.layers;

/** Keras's padding modes: 'same' keeps ceil(in / stride), 'valid' uses only full windows. */
public enum Padding {
    SAME,
    VALID
}
