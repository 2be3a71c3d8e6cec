package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and loading a library in given folders, and the loader-message parsing, on fake folders: runs on every machine. */
class NativeLibrariesTest {

    /** What JCuda's loader prints when libcuda.so.1 is missing (many lines, the reason near the end). */
    private static final String JCUDA_DRIVER_ERROR = String.join(
            "\n",
            "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"",
            "Operating system name: Linux",
            "---(start of nested stack traces)---",
            "Stack trace from the attempt to load the library as a file:",
            "java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib",
            "Stack trace from the attempt to load the library as a resource:",
            "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory",
            "---(end of nested stack traces)---");

    @Test
    void missingDependencyIsTheLastLibraryTheLoaderCouldNotOpen() {
        assertEquals("libcuda.so.1", NativeLibraries.missingDependency(JCUDA_DRIVER_ERROR));
        assertEquals(
                "libcublasLt.so.13",
                NativeLibraries.missingDependency(
                        "/x/libcudnn_ops.so.9: libcublasLt.so.13: cannot open shared object file: No such file or directory"));
        assertNull(NativeLibraries.missingDependency("/x/libfoo.so: undefined symbol: cudnnCreate"));
        assertNull(NativeLibraries.missingDependency(null));
    }

    @Test
    void shortReasonKeepsOnlyTheLoadersWords() {
        String reason = NativeLibraries.shortReason(new UnsatisfiedLinkError(JCUDA_DRIVER_ERROR));
        assertEquals("libcuda.so.1: cannot open shared object file", reason);
        assertFalse(reason.contains("\n"));
        // the cause chain is searched: later calls throw NoClassDefFoundError with the first error as cause
        Throwable later = new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        later.initCause(new ExceptionInInitializerError(JCUDA_DRIVER_ERROR));
        assertEquals("libcuda.so.1: cannot open shared object file", NativeLibraries.shortReason(later));
        assertEquals(
                "undefined symbol: cudnnCreate",
                NativeLibraries.shortReason(
                        new UnsatisfiedLinkError("/x/libJCudnn.so: undefined symbol: cudnnCreate")));
        assertEquals("something else", NativeLibraries.shortReason(new UnsatisfiedLinkError("something else\nmore")));
    }

    @Test
    void findsTheFirstFolderHoldingTheLibrary(@TempDir Path tmp) throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(b.resolve("libcudnn.so.9"), "not really");
        Files.writeString(a.resolve("libcublas.so.12"), "not really");
        Files.writeString(b.resolve("libcublas.so.12"), "not really");
        NativeLibraries libs = NativeLibraries.of(List.of(a, b));
        assertEquals(Optional.of(b.resolve("libcudnn.so.9").toAbsolutePath()), libs.find("libcudnn.so.9"));
        assertEquals(Optional.of(a.resolve("libcublas.so.12").toAbsolutePath()), libs.find("libcublas.so.12"));
        assertEquals(Optional.empty(), libs.find("libcuda.so.1"));
        assertEquals(Optional.empty(), libs.load("libcuda.so.1"), "a library in no folder is not loaded");
        assertTrue(libs.describeFolders().contains(a.toString())
                && libs.describeFolders().contains(b.toString()));
    }
}
