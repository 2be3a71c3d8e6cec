package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./cxr} launcher, run as a user runs it, on the jar the build just packaged: a clean
 * stderr (no JVM warning about the incubating Vector API), stdout and stderr kept apart, and the
 * exit codes passed through.
 */
class LauncherIT {
    record Result(int exit, String out, String err) {}

    private static Result cxr(String... args) throws IOException, InterruptedException {
        Path launcher = CliRun.repoFile("cxr");
        Path jar = launcher.getParent().resolve("cli/target/cxr.jar");
        assertTrue(Files.isRegularFile(jar), "the package phase built " + jar);
        List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile("cxr-out", ".txt");
        Path err = Files.createTempFile("cxr-err", ".txt");
        try {
            Process p =
                    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./cxr finished");
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void versionPrintsNoIncubatorWarning() throws Exception {
        Result r = cxr("--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("cxr "), r.out());
        assertEquals("", r.err(), "nothing on stderr");
    }

    @Test
    void infoShowsTheSimdWidthAndNothingElseOnStderr() throws Exception {
        Result r = cxr("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("-bit SIMD"), r.out());
        assertFalse(r.err().contains("incubator"), r.err());
    }

    @Test
    void errorsKeepTheirLineAndExitCode() throws Exception {
        Result r = cxr("--no-such-option");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("cxr: Unknown option: '--no-such-option'"), r.err());
        assertFalse(r.err().contains("incubator"), r.err());
        Result missing = cxr("predict", "--model", "/nonexistent/model.h5", "x.jpg");
        assertEquals(1, missing.exit(), missing.err());
        assertFalse(missing.err().contains("WARNING"), missing.err());
    }
}
