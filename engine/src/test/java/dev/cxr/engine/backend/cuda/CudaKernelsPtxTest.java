package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in PTX is current with cxr_kernels.cu: its header records the source's sha256 (checked
 * everywhere), and where nvcc is on the PATH the PTX is rebuilt with build-ptx.sh and compared.
 */
class CudaKernelsPtxTest {
    /** engine/src/main/cuda, from the engine folder (Maven) or the repository root (gpu/run.sh). */
    private static final Path CUDA_DIR =
            Files.isDirectory(Path.of("src/main/cuda")) ? Path.of("src/main/cuda") : Path.of("engine/src/main/cuda");

    private static final Path SOURCE = CUDA_DIR.resolve("cxr_kernels.cu");
    private static final Path SCRIPT = CUDA_DIR.resolve("build-ptx.sh");
    private static final String REBUILD =
            "run engine/src/main/cuda/build-ptx.sh (needs nvcc) and commit the PTX with the .cu";

    private static String ptxText() {
        return new String(CudaKernels.ptx(), 0, CudaKernels.ptx().length - 1, StandardCharsets.UTF_8);
    }

    private static String sourceHash() throws IOException, NoSuchAlgorithmException {
        String text = Files.readString(SOURCE, StandardCharsets.UTF_8).replace("\r", "");
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ptxRecordsTheHashOfTheCurrentSource() throws Exception {
        assumeTrue(
                Files.isRegularFile(SOURCE),
                "no " + SOURCE + " here (run from the engine folder or the repository root)");
        String ptx = ptxText();
        Optional<String> recorded = ptx.lines()
                .filter(l -> l.startsWith("// source sha256: "))
                .findFirst()
                .map(l -> l.substring("// source sha256: ".length()).trim());
        assertTrue(recorded.isPresent(), "the PTX has no source hash line: " + REBUILD);
        assertEquals(sourceHash(), recorded.get(), "cxr_kernels.cu changed after its PTX was built: " + REBUILD);
    }

    @Test
    void ptxHasEveryKernelTheBackendLaunches() throws IOException {
        assumeTrue(
                Files.isRegularFile(SOURCE),
                "no " + SOURCE + " here (run from the engine folder or the repository root)");
        String ptx = ptxText();
        for (String kernel : List.of(
                "cxr_add",
                "cxr_mul",
                "cxr_relu_forward",
                "cxr_relu_backward",
                "cxr_bias_act",
                "cxr_pad2d",
                "cxr_crop2d",
                "cxr_maxpool_backward",
                "cxr_avgpool_backward",
                "cxr_bce",
                "cxr_cce",
                "cxr_adam",
                "cxr_sgemm")) {
            assertTrue(ptx.contains(".visible .entry " + kernel + "("), "PTX lacks " + kernel);
        }
        assertTrue(
                ptx.contains("\n.version 8.0\n") && ptx.contains("\n.target sm_75\n"),
                "PTX ISA 8.0 for sm_75 expected");
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        assertEquals(
                13,
                source.split("extern \"C\" __global__").length - 1,
                "a kernel was added: launch it and list it here");
    }

    @Test
    void rebuildingWithNvccGivesTheCheckedInPtx(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isRegularFile(SCRIPT), "no " + SCRIPT + " here");
        Optional<String> nvcc = nvccVersion();
        assumeTrue(nvcc.isPresent(), "nvcc is not on the PATH: skipping the PTX rebuild (the hash check still ran)");
        String checkedIn = ptxText();
        assumeTrue(
                checkedIn.contains(nvcc.get()),
                "nvcc here is '" + nvcc.get()
                        + "', not the release that built the checked-in PTX: code generation may differ, skipping the comparison");
        Path out = tmp.resolve("rebuilt.ptx");
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), out.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "build-ptx.sh took over 2 minutes");
        assertEquals(0, p.exitValue(), "build-ptx.sh failed:\n" + log);
        assertEquals(
                withoutComments(checkedIn),
                withoutComments(Files.readString(out, StandardCharsets.UTF_8)),
                "the checked-in PTX differs from what cxr_kernels.cu compiles to: " + REBUILD);
    }

    /** The PTX without comment lines (nvcc's build banner, our header). */
    private static String withoutComments(String ptx) {
        return ptx.lines().filter(l -> !l.startsWith("//")).collect(Collectors.joining("\n"));
    }

    /** "Cuda compilation tools, release 13.0, V13.0.88", the line nvcc also writes into the PTX. */
    private static Optional<String> nvccVersion() {
        try {
            Process p = new ProcessBuilder("nvcc", "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return out.lines()
                    .filter(l -> l.startsWith("Cuda compilation tools"))
                    .findFirst()
                    .map(String::trim);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
