package dev.cxr.engine.backend.cuda;

/**
 * A CUDA, cuDNN or cuBLAS call failed in a way the user cannot fix by changing an option: a bug or
 * a broken installation. The message names the call and the library's own error name. Failures the
 * user can fix (no GPU, out of device memory) are {@link dev.cxr.engine.CxrException}s instead.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }
}
