package dev.cxr.engine.backend.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;

/**
 * Status checks for the driver, cuDNN and cuBLAS calls. JCuda's own exceptions stay off, so every
 * status is checked here and a failure names the call and the library's own error name.
 */
final class CudaCalls {
    /** cuDNN's success code (0 in every version; the other codes were renumbered in cuDNN 9). */
    static final int CUDNN_SUCCESS = 0;

    private CudaCalls() {}

    /** "CUDA_ERROR_OUT_OF_MEMORY (2)". */
    static String resultName(int result) {
        String name;
        try {
            name = CUresult.stringFor(result);
        } catch (Throwable t) {
            name = "CUDA error";
        }
        return name + " (" + result + ")";
    }

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + resultName(result) + hint(result));
        }
    }

    private static String hint(int result) {
        return switch (result) {
            case CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, CUresult.CUDA_ERROR_LAUNCH_FAILED ->
                "; a kernel failed, maybe in an earlier asynchronous call: set CXR_CUDA_SYNC=1 to find which";
            case CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION ->
                "; the NVIDIA driver is older than CUDA 12.0: update it";
            default -> "";
        };
    }

    /** cuDNN's own name for a status ("CUDNN_STATUS_BAD_PARAM"), which cuDNN 9 renumbered. */
    static String cudnnName(int status) {
        try {
            return JCudnn.cudnnGetErrorString(status) + " (" + status + ")";
        } catch (Throwable t) {
            return "cuDNN status " + status;
        }
    }

    static boolean cudnnOutOfMemory(int status) {
        return cudnnName(status).contains("ALLOC");
    }

    static void checkCudnn(int status, String call) {
        if (status != CUDNN_SUCCESS) {
            throw new CudaException(call + " failed: " + cudnnName(status));
        }
    }

    static String cublasName(int status) {
        try {
            return JCublas2.cublasGetStatusString(status) + " (" + status + ")";
        } catch (Throwable t) {
            return "cuBLAS status " + status;
        }
    }

    static void checkCublas(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed: " + cublasName(status));
        }
    }
}
