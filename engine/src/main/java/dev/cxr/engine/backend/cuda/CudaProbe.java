package dev.cxr.engine.backend.cuda;

import dev.cxr.engine.backend.cuda.CudaStatus.Gpu;
import dev.cxr.engine.backend.cuda.CudaStatus.Library;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;

/**
 * Finds out once per process, without throwing, whether CUDA is usable here and why not: no NVIDIA
 * driver (JCuda's driver library cannot load libcuda.so.1), no device (cuInit says
 * CUDA_ERROR_NO_DEVICE), or no cuDNN 9 (libcudnn.so.9 in none of the folders searched). It also
 * loads cuBLAS 12 where present. JNI libraries that fail to load stay broken for the life of the
 * process, so this is the one place that tries, and everything else asks it.
 */
public final class CudaProbe {
    /** The soname JCudnn 12.6's JNI library links (cuDNN 9, for CUDA 12 and CUDA 13 alike). */
    static final String CUDNN_SONAME = "libcudnn.so.9";
    /** The soname JCublas 12.6's JNI library links: CUDA 12's cuBLAS only. */
    static final String CUBLAS_SONAME = "libcublas.so.12";

    private static final Pattern CUDNN_PARTS = Pattern.compile("libcudnn_[a-z_]+\\.so\\.9");

    private CudaProbe() {}

    private static final class Holder {
        static final CudaStatus STATUS = probe(NativeLibraries.forThisMachine());
    }

    /** The machine's CUDA status, probed on the first call. */
    public static CudaStatus status() {
        return Holder.STATUS;
    }

    static CudaStatus probe(NativeLibraries libs) {
        Library notChecked = Library.absent(CudaStatus.NOT_LOOKED_FOR);
        String driver;
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int init = JCudaDriver.cuInit(0);
            if (init == CUresult.CUDA_ERROR_NO_DEVICE) {
                return unusable(
                        "no CUDA device: the NVIDIA driver is installed but cuInit reports CUDA_ERROR_NO_DEVICE (100)",
                        "installed, no device",
                        notChecked);
            }
            if (init != CUresult.CUDA_SUCCESS) {
                return unusable(
                        "the CUDA driver failed to start: cuInit returned " + CudaCalls.resultName(init),
                        "failed: cuInit returned " + CudaCalls.resultName(init),
                        notChecked);
            }
            int[] version = new int[1];
            CudaCalls.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
            driver = "CUDA driver " + version[0] / 1000 + "." + (version[0] % 1000) / 10;
        } catch (Throwable t) {
            String why = NativeLibraries.shortReason(t);
            String reason = why.contains("libcuda.so")
                    ? "no NVIDIA driver: " + why + " (libcuda.so.1 comes with the NVIDIA driver)"
                    : "JCuda's driver library does not load here: " + why;
            return unusable(reason, "absent: " + why, notChecked);
        }

        List<Gpu> gpus;
        try {
            gpus = gpus();
        } catch (Throwable t) {
            return unusable("listing the GPUs failed: " + t.getMessage(), driver, notChecked);
        }
        if (gpus.isEmpty()) {
            return unusable("no CUDA device: the driver lists no GPU", driver, notChecked);
        }

        Library cudnn = loadCudnn(libs);
        Library cublas = loadCublas(libs);
        String reason = cudnn.loaded() ? null : "cuDNN 9 not found: " + cudnn.problem();
        return new CudaStatus(cudnn.loaded(), reason, driver, gpus, cudnn, cublas);
    }

    private static CudaStatus unusable(String reason, String driver, Library notChecked) {
        return new CudaStatus(false, reason, driver, List.of(), notChecked, notChecked);
    }

    private static List<Gpu> gpus() {
        int[] count = new int[1];
        CudaCalls.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        List<Gpu> out = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice dev = new CUdevice();
            CudaCalls.check(JCudaDriver.cuDeviceGet(dev, i), "cuDeviceGet");
            byte[] name = new byte[256];
            CudaCalls.check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            long[] bytes = new long[1];
            CudaCalls.check(JCudaDriver.cuDeviceTotalMem(bytes, dev), "cuDeviceTotalMem");
            out.add(new Gpu(
                    i,
                    new String(name, 0, len, StandardCharsets.UTF_8),
                    attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                    bytes[0],
                    attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)));
        }
        return out;
    }

    private static int attribute(CUdevice dev, int attribute) {
        int[] v = new int[1];
        CudaCalls.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, dev), "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    /**
     * Loads libcudnn.so.9 and its sub-libraries by path when the search finds them, then JCudnn's JNI
     * library (which links libcudnn.so.9 by soname and so finds the copy already loaded).
     */
    static Library loadCudnn(NativeLibraries libs) {
        Optional<Path> file = libs.find(CUDNN_SONAME);
        List<String> notes = new ArrayList<>();
        if (file.isPresent()) {
            try {
                libs.load(CUDNN_SONAME);
            } catch (UnsatisfiedLinkError e) {
                return Library.absent(CUDNN_SONAME + " is at " + file.get() + " but does not load: "
                        + NativeLibraries.shortReason(e));
            }
            for (String failure : libs.loadSiblings(file.get(), CUDNN_PARTS)) {
                notes.add("sub-library not loaded: " + failure);
            }
        }
        try {
            JCudnn.setExceptionsEnabled(false);
            long v = JCudnn.cudnnGetVersion();
            long cudart = JCudnn.cudnnGetCudartVersion();
            String version = cudnnVersion(v) + " (built for CUDA " + cudart / 1000 + "." + (cudart % 1000) / 10 + ")";
            return Library.loaded(version, file.map(Path::toString).orElse("the dynamic loader's path"), notes);
        } catch (Throwable t) {
            String why = NativeLibraries.shortReason(t);
            if (file.isEmpty()) {
                return Library.absent(CUDNN_SONAME + " is in none of: " + libs.describeFolders()
                        + " (set LD_LIBRARY_PATH to the folder holding it, or pip install nvidia-cudnn-cu13)");
            }
            return Library.absent("JCudnn does not load with " + file.get() + ": " + why);
        }
    }

    /** cuDNN 9 encodes 9.10.2 as 91002 (major * 10000 + minor * 100 + patch); cuDNN 8 used major * 1000. */
    static String cudnnVersion(long v) {
        if (v >= 90000) {
            return v / 10000 + "." + (v % 10000) / 100 + "." + v % 100;
        }
        return v / 1000 + "." + (v % 1000) / 100 + "." + v % 100;
    }

    /** Loads cuBLAS 12 (and cuBLASLt, which it links) by path when found, then JCublas2's JNI library. */
    static Library loadCublas(NativeLibraries libs) {
        Optional<Path> file = libs.find(CUBLAS_SONAME);
        if (file.isPresent()) {
            try {
                libs.load("libcublasLt.so.12");
                libs.load(CUBLAS_SONAME);
            } catch (UnsatisfiedLinkError e) {
                return Library.absent(CUBLAS_SONAME + " is at " + file.get() + " but does not load: "
                        + NativeLibraries.shortReason(e));
            }
        }
        try {
            JCublas2.setExceptionsEnabled(false);
            JCublas2.initialize();
            int[] part = new int[1];
            StringBuilder version = new StringBuilder();
            for (int property = 0; property < 3; property++) {
                CudaCalls.checkCublas(JCublas2.cublasGetProperty(property, part), "cublasGetProperty");
                version.append(property == 0 ? "" : ".").append(part[0]);
            }
            return Library.loaded(
                    version.toString(), file.map(Path::toString).orElse("the dynamic loader's path"), List.of());
        } catch (Throwable t) {
            if (file.isEmpty()) {
                boolean cuda13 = libs.find("libcublas.so.13").isPresent();
                return Library.absent(CUBLAS_SONAME + " (CUDA 12's cuBLAS, which JCublas 12.6 links) not found"
                        + (cuda13
                                ? "; this machine has CUDA 13's libcublas.so.13, which JCublas 12.6 cannot use"
                                : ""));
            }
            return Library.absent("JCublas2 does not load with " + file.get() + ": " + NativeLibraries.shortReason(t));
        }
    }
}
