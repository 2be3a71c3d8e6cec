package dev.cxr.engine;

/**
 * A problem the user can fix: a wrong file, a missing GPU, a bad option. Its message is one line
 * that says what is wrong, in the terms of the code that found it; the command line prints it
 * without a stack trace. Where the fix is a setting the front end exposes (the device, a batch
 * size), the {@link Remedy} says which, and the front end names its own option for it: the engine
 * knows no command-line flags.
 */
public class CxrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What the user can change to get past the problem. */
    public enum Remedy {
        /** Nothing to add: the message says what to do. */
        NONE,
        /** Run on the CPU: the GPU cannot be used. */
        USE_THE_CPU,
        /** Choose another GPU: none has the index asked for. */
        ANOTHER_GPU,
        /** Give a CPU thread count of 0 (all cores) or more. */
        THREAD_COUNT,
        /** Work in smaller batches: memory ran out. */
        SMALLER_BATCHES
    }

    private final Remedy remedy;

    public CxrException(String message) {
        this(message, Remedy.NONE, null);
    }

    public CxrException(String message, Throwable cause) {
        this(message, Remedy.NONE, cause);
    }

    public CxrException(String message, Remedy remedy) {
        this(message, remedy, null);
    }

    public CxrException(String message, Remedy remedy, Throwable cause) {
        super(message, cause);
        this.remedy = remedy;
    }

    public Remedy remedy() {
        return remedy;
    }
}
