package dev.cxr.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the fast backend's SIMD cannot run, {@code --device cpu} runs the plain-loop backend and
 * says why in one line: in a JVM started without {@code --add-modules jdk.incubator.vector} (the
 * Vector API's classes cannot even load there), and in one whose JIT is held to C1.
 */
class NoVectorApiTest {
    /** Run in the child JVM: opens the CPU backend, prints its name, the notice and one convolution's checksum. */
    public static void main(String[] args) {
        List<String> notices = new ArrayList<>();
        try (Backend b = Backends.open(Device.CPU, 0, 2, notices::add)) {
            System.out.println("backend=" + b.name());
            notices.forEach(n -> System.out.println("notice=" + n));
            System.out.println("simd=" + CpuSimd.describe());
            try (Tensor x = b.upload(Shape.of(1, 2, 5, 5), new float[50]);
                    Tensor w = b.zeros(Shape.of(3, 2, 3, 3));
                    Tensor y = b.zeros(Shape.of(1, 3, 3, 3))) {
                b.conv2dForward(x, w, null, y, dev.cxr.engine.backend.ConvSpec.valid(3, 3, 1, 1), true);
                System.out.println("conv=" + b.download(y).length);
            }
        }
    }

    private static String child(String... jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NoVectorApiTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void withoutTheModuleTheCpuBackendIsPlainLoopsAndSaysSo() throws Exception {
        String out = child();
        assertTrue(out.contains("backend=cpu-plain"), out);
        assertTrue(
                out.contains(
                        "notice=cpu: no SIMD: the Vector API is not enabled (start java with --add-modules jdk.incubator.vector"),
                out);
        assertTrue(out.contains("conv=27"), out);
        assertTrue(out.contains("simd=none: "), out);
    }

    @Test
    void withoutTheOptimisingCompilerTheCpuBackendIsPlainLoops() throws Exception {
        String out = child("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1");
        assertTrue(out.contains("backend=cpu-plain"), out);
        assertTrue(out.contains("-XX:TieredStopAtLevel=1"), out);
        assertTrue(out.contains("NOT vectorised"), out);
    }

    @Test
    void withTheModuleAndTheJitTheCpuBackendIsTheFastOne() throws Exception {
        String out = child("--add-modules", "jdk.incubator.vector");
        assertTrue(out.contains("backend=cpu\n") || out.contains("backend=cpu\r\n"), out);
        assertTrue(out.contains("vectorised by the JIT"), out);
    }
}
