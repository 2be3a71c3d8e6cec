package dev.cxr.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cxr.engine.CxrException;
import dev.cxr.engine.testing.Resources;
import dev.cxr.model.testing.VggTestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching the weights from a local HTTP server on 127.0.0.1 serving a small file whose md5 the
 * test passes in: success, a wrong md5, a 404, a body cut short, no server at all. The real name
 * appears only after the md5 matched, and no {@code .part} file is left behind.
 */
class WeightsStoreTest {
    private static final byte[] BODY = bytes();

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> log = new ArrayList<>();

    private static byte[] bytes() {
        byte[] b = new byte[300_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok.h5", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.createContext("/short.h5", ex -> {
            // announces the whole file, sends a third, then closes the connection
            ex.sendResponseHeaders(200, BODY.length);
            OutputStream out = ex.getResponseBody();
            out.write(BODY, 0, BODY.length / 3);
            out.flush();
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private WeightsStore store(URI source, String md5) {
        return new WeightsStore(dir.resolve("weights"), source, md5, log::add, false);
    }

    private String bodyMd5() throws IOException {
        Path tmp = Files.write(dir.resolve("body"), BODY);
        return Vgg16Weights.md5(tmp);
    }

    @Test
    void downloadsChecksAndRenamesIntoPlace() throws IOException {
        WeightsStore s = store(url("/ok.h5"), bodyMd5());
        Path file = s.fetch();
        assertEquals(s.file(), file);
        assertArrayEquals(BODY, Files.readAllBytes(file));
        assertNoPart(s);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("saved ")), log.toString());
        // a second fetch finds it and does not download again
        server.removeContext("/ok.h5");
        assertEquals(file, s.fetch());
        assertEquals(file, s.resolve());
    }

    @Test
    void wrongMd5KeepsNothing() {
        WeightsStore s = store(url("/ok.h5"), Vgg16Weights.IMAGENET_NOTOP_MD5);
        CxrException e = assertThrows(CxrException.class, s::fetch);
        assertOneLine(e, "expected " + Vgg16Weights.IMAGENET_NOTOP_MD5);
        assertTrue(e.getMessage().contains("put it at " + s.file()), e.getMessage());
        assertFalse(Files.exists(s.file()));
        assertNoPart(s);
    }

    @Test
    void httpErrorSaysWhereToPutTheFile() throws IOException {
        WeightsStore s = store(url("/nothere.h5"), bodyMd5());
        CxrException e = assertThrows(CxrException.class, s::fetch);
        assertOneLine(e, "HTTP 404");
        assertTrue(e.getMessage().contains("put it at " + s.file()), e.getMessage());
        assertFalse(Files.exists(s.file()));
        assertNoPart(s);
    }

    @Test
    void bodyCutShortIsRefused() throws IOException {
        WeightsStore s = store(url("/short.h5"), bodyMd5());
        CxrException e = assertThrows(CxrException.class, s::fetch);
        assertOneLine(e, "of " + BODY.length + " bytes");
        assertFalse(Files.exists(s.file()));
        assertNoPart(s);
    }

    @Test
    void offlineSaysWhereToPutTheFile() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        WeightsStore s = store(URI.create("http://127.0.0.1:" + closedPort + "/w.h5"), bodyMd5());
        CxrException e = assertThrows(CxrException.class, s::resolve);
        assertOneLine(e, "cannot reach");
        assertTrue(e.getMessage().contains("put it at " + s.file()), e.getMessage());
        assertNoPart(s);
    }

    @Test
    void resolveRefusesAFileWithAnotherMd5() throws IOException {
        WeightsStore s = store(url("/ok.h5"), bodyMd5());
        Files.createDirectories(s.folder());
        Files.copy(Resources.path("keras/vgg16-w4-keras1-notop.h5"), s.file());
        CxrException e = assertThrows(CxrException.class, s::resolve);
        assertOneLine(e, "has md5");
        assertTrue(e.getMessage().contains("cxr weights fetch"), e.getMessage());
    }

    @Test
    void folderFollowsTheEnvironment() {
        String saved = System.getProperty(WeightsStore.DIR_PROPERTY);
        System.clearProperty(WeightsStore.DIR_PROPERTY);
        try {
            assertEquals(
                    dir.resolve("weights"),
                    WeightsStore.defaultFolder(
                            Map.of("CXR_REPO", dir.toString(), "CXR_HOME", "/elsewhere"), "/home/u"));
            assertEquals(
                    Path.of("/elsewhere", "weights"),
                    WeightsStore.defaultFolder(Map.of("CXR_HOME", "/elsewhere"), "/home/u"));
            assertEquals(
                    Path.of("/home/u", ".cache", "cxr", "weights"), WeightsStore.defaultFolder(Map.of(), "/home/u"));
            System.setProperty(WeightsStore.DIR_PROPERTY, dir.resolve("w2").toString());
            assertEquals(dir.resolve("w2"), WeightsStore.defaultFolder(Map.of("CXR_HOME", "/elsewhere"), "/home/u"));
        } finally {
            if (saved == null) {
                System.clearProperty(WeightsStore.DIR_PROPERTY);
            } else {
                System.setProperty(WeightsStore.DIR_PROPERTY, saved);
            }
        }
    }

    private static void assertOneLine(CxrException e, String part) {
        assertTrue(VggTestFiles.oneLine(e.getMessage()), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(part), "says '" + part + "': " + e.getMessage());
    }

    private static void assertNoPart(WeightsStore s) {
        assertFalse(Files.exists(s.folder().resolve(Vgg16Weights.IMAGENET_NOTOP_FILE + ".part")), ".part left behind");
    }
}
