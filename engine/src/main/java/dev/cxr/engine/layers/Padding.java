package dev.cxr.engine.layers;

/**
 * Padding modes. {@link #SAME} and {@link #VALID} are Keras's: 'same' keeps ceil(in / stride), 'valid'
 * uses only full windows. {@link #LEADING} pads the top and left as 'same' does and nothing after,
 * so every output is exactly the matching 'same' output, and the bottom and right rows and columns
 * that 'same' would compute from its trailing zeros are left out: a network that needs only the
 * top-left corner of its output computes just that.
 */
public enum Padding {
    SAME,
    VALID,
    LEADING
}
