package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.CxrException.Remedy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's errors reach the user with the option that fixes them, named by the command line. */
class RemediesTest {
    @Test
    void eachRemedyNamesItsOption() {
        assertEquals(
                "no usable GPU: no driver; use --device cpu or auto",
                Remedies.line(new CxrException("no usable GPU: no driver", Remedy.USE_THE_CPU)));
        assertTrue(Remedies.line(new CxrException("there is no GPU 3", Remedy.ANOTHER_GPU))
                .endsWith("--gpu-index"));
        assertTrue(Remedies.line(new CxrException("thread count -1", Remedy.THREAD_COUNT))
                .endsWith("--threads"));
        assertEquals(
                "out of GPU memory; use a smaller --batch-size",
                Remedies.line(new CxrException("out of GPU memory", Remedy.SMALLER_BATCHES)));
        assertEquals("a plain message", Remedies.line(new CxrException("a plain message")));
    }

    @Test
    void aNegativeThreadCountEndsInOneLineNamingTheOption(@TempDir Path tmp) throws Exception {
        Path data = CliRun.sixImages(tmp.resolve("data"));
        CliRun r = CliRun.of(
                "train",
                "--device",
                "cpu",
                "--threads",
                "-1",
                "--dataset",
                data.toString(),
                "--weights",
                CliRun.narrowWeights().toString(),
                "--output",
                tmp.resolve("run").toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(
                "cxr: the CPU thread count must be 0 (all cores) or positive, got -1; set it with --threads",
                r.lastErrorLine());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }
}
