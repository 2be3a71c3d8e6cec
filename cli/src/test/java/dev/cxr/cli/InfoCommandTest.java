package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.cuda.CudaProbe;
import dev.cxr.engine.backend.cuda.CudaStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cxr info} on whatever machine runs the suite: exit 0 and a report that matches the probe. */
class InfoCommandTest {

    @Test
    void reportsTheCpuAndTheGpuOrWhyThereIsNone() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"info"}, new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        System.out.print(text);
        assertEquals(0, code, "stderr: " + err);
        assertTrue(text.contains("threads:  " + Runtime.getRuntime().availableProcessors()), text);
        // the tests run with --add-modules jdk.incubator.vector, so the width is known
        assertTrue(
                text.matches(
                        "(?s).*SIMD: +(512|256|128)-bit SIMD \\((16|8|4) floats per vector.*GEMM kernel \\d+x\\d+; vectorised by the JIT.*"),
                text);
        assertTrue(text.contains("cuDNN:") && text.contains("cuBLAS:") && text.contains("driver:"), text);
        CudaStatus s = CudaProbe.status();
        if (s.usable()) {
            assertTrue(text.contains("--device auto uses cuda:0") && text.contains("GiB free of"), text);
        } else {
            assertTrue(text.contains("usable:   no: " + s.reason()), text);
            assertTrue(text.contains("--device auto uses the CPU (" + s.reason() + ")"), text);
        }
    }

    @Test
    void gpuIndexReachesInfoFromEitherSide() {
        for (String[] args : new String[][] {{"info", "--gpu-index", "3"}, {"--gpu-index", "3", "info"}}) {
            CommandLine cl = new CommandLine(new Main());
            CommandLine.ParseResult parsed = cl.parseArgs(args);
            InfoCommand info = (InfoCommand) parsed.subcommand().commandSpec().userObject();
            assertEquals(3, info.main.global.gpuIndex(), String.join(" ", args));
        }
    }
}
