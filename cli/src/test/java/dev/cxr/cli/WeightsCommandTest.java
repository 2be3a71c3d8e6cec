package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cxr.model.weights.Vgg16Weights;
import dev.cxr.model.weights.WeightsStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxr weights fetch} against a local server, and {@code cxr weights verify} on good and bad files. */
class WeightsCommandTest {
    @TempDir
    Path dir;

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notop.h5", ex -> {
            byte[] body = "not the weights".getBytes();
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.setProperty(WeightsStore.DIR_PROPERTY, dir.resolve("weights").toString());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty(WeightsStore.DIR_PROPERTY);
        System.clearProperty(WeightsStore.URL_PROPERTY);
    }

    private void serveFrom(String path) {
        System.setProperty(
                WeightsStore.URL_PROPERTY,
                "http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void fetchWithAWrongFileKeepsNothing() {
        serveFrom("/notop.h5");
        CliRun r = CliRun.of("weights", "fetch");
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(r.errorLine().contains("expected " + Vgg16Weights.IMAGENET_NOTOP_MD5), r.toString());
        assertFalse(Files.exists(dir.resolve("weights").resolve(Vgg16Weights.IMAGENET_NOTOP_FILE)));
        assertFalse(Files.exists(dir.resolve("weights").resolve(Vgg16Weights.IMAGENET_NOTOP_FILE + ".part")));
    }

    @Test
    void fetchFromAServerWithoutTheFileSaysWhereToPutIt() {
        serveFrom("/missing.h5");
        CliRun r = CliRun.of("weights", "fetch");
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(r.errorLine().contains("HTTP 404"), r.toString());
        assertTrue(
                r.errorLine().contains("put it at " + dir.resolve("weights").resolve(Vgg16Weights.IMAGENET_NOTOP_FILE)),
                r.toString());
    }

    @Test
    void verifyNamesTheWrongLayer() {
        Path narrow = CliRun.repoFile("model/src/test/resources/reference/small/vgg16-narrow-seed11-notop.h5");
        CliRun r = CliRun.of("weights", "verify", narrow.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(
                r.errorLine().contains("layer block1_conv1: expected kernel (3,3,3,64), file has (3,3,3,8)"),
                r.toString());
    }

    @Test
    void verifyRefusesAFileThatIsNotHdf5() throws IOException {
        Path f = Files.writeString(dir.resolve("w.h5"), "hello");
        CliRun r = CliRun.of("weights", "verify", f.toString());
        assertEquals(Main.EXIT_USER_ERROR, r.exit, r.toString());
        assertTrue(r.errorLine().contains("not an HDF5 file"), r.toString());
    }

    @Test
    void verifyTellsASyntheticFileFromTheOfficialOne() {
        Path shared = CliRun.sharedReference("vgg16-synthetic-seed1-notop.h5");
        assumeTrue(shared != null, "../shared/reference is absent: skipping the full-size verify");
        CliRun r = CliRun.of("weights", "verify", shared.toString());
        assertEquals(0, r.exit, r.toString());
        assertTrue(
                r.out.contains("valid VGG16 weights layout (Keras 1, no top), not the official weights"), r.toString());
    }

    @Test
    void weightsAloneAsksForASubcommand() {
        CliRun r = CliRun.of("weights");
        assertEquals(Main.EXIT_USAGE, r.exit, r.toString());
        assertTrue(r.err.contains("fetch or verify"), r.toString());
    }
}
