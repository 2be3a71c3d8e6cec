package dev.cxr.cli;

import dev.cxr.engine.CxrException;

/**
 * The command line's words for what the engine says can be changed ({@link CxrException.Remedy}):
 * the engine says what is wrong in its own terms, and the option to change is named here, where the
 * options are.
 */
final class Remedies {
    private Remedies() {}

    /** The error's one line for the user: the message, then the option to change where there is one. */
    static String line(CxrException e) {
        String hint = switch (e.remedy()) {
            case NONE -> null;
            case USE_THE_CPU -> "use --device cpu or auto";
            case ANOTHER_GPU -> "choose one with --gpu-index";
            case THREAD_COUNT -> "set it with --threads";
            case SMALLER_BATCHES -> "use a smaller --batch-size";
        };
        return hint == null ? e.getMessage() : e.getMessage() + "; " + hint;
    }
}
