package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The own CUDA kernels checked without a GPU: engine/src/test/cuda/kernels_on_host.cpp compiles
 * cxr_kernels.cu for the host with an emulation of the CUDA dialect and compares every kernel with
 * transcribed reference loops. Needs g++ with C++20 (std::barrier); skipped without it. On a GPU the
 * backend-ops harness (BackendOpsTest) checks the same kernels against the Java reference itself.
 */
class CudaKernelsOnHostTest {
    private static final Path DIR =
            Files.isDirectory(Path.of("src/test/cuda")) ? Path.of("src/test/cuda") : Path.of("engine/src/test/cuda");

    @Test
    void kernelsMatchTheReferenceLoopsOnTheHost(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(DIR.resolve("kernels_on_host.cpp")), "no " + DIR + " here");
        Path exe = tmp.resolve("kernels_on_host");
        Run compile = run(
                120,
                "g++",
                "-std=c++20",
                "-O1",
                "-ffp-contract=off",
                "-pthread",
                "-o",
                exe.toString(),
                DIR.resolve("kernels_on_host.cpp").toString());
        assumeTrue(compile != null, "g++ is not on the PATH: skipping the host emulation of the kernels");
        assumeTrue(
                compile.code == 0 || !compile.output.contains("barrier"),
                "this g++ lacks C++20's std::barrier: skipping the host emulation\n" + compile.output);
        assertEquals(0, compile.code, "kernels_on_host.cpp does not compile:\n" + compile.output);
        Run result = run(120, exe.toString());
        System.out.print(result.output);
        assertEquals(0, result.code, "a kernel differs from the reference loops:\n" + result.output);
        assertTrue(result.output.contains("all kernel checks passed"), result.output);
    }

    private record Run(int code, String output) {}

    /** Runs a command; null when the program does not exist. */
    private static Run run(int timeoutSeconds, String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", command) + " took too long");
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            return null;
        }
    }
}
