package dev.cxr.engine;

/**
 * A problem the user can fix: a wrong file, a missing GPU, a bad option. Its message is one line
 * that says what is wrong and what to do; the command line prints it without a stack trace.
 */
public class CxrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CxrException(String message) {
        super(message);
    }

    public CxrException(String message, Throwable cause) {
        super(message, cause);
    }
}
