package dev.cxr.engine.backend;

import dev.cxr.engine.CxrException;
import java.util.Locale;

/** Where the ops run: the user's choice, made once at the edge of the program (see {@link Backends}). */
public enum Device {
    /** The GPU when one is usable, otherwise the fast CPU backend (saying why in one line). */
    AUTO,
    /** The fast CPU backend. */
    CPU,
    /** The CUDA backend; an error when no usable GPU is present. */
    GPU,
    /** The reference CPU backend: plain loops, slow, the oracle. For checks, not for training. */
    REFERENCE;

    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CxrException("unknown device '" + text + "': use auto, cpu, gpu or reference");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
