package dev.cxr.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library search order, on fake folders and a fake environment: runs on every machine. */
class LibrarySearchPathTest {

    @Test
    void searchOrderIsLdLibraryPathThenSystemThenPythonsNvidiaPackages(@TempDir Path tmp) throws IOException {
        Path ld1 = Files.createDirectories(tmp.resolve("ld1"));
        Path ld2 = Files.createDirectories(tmp.resolve("ld2"));
        Path venv = tmp.resolve("venv");
        Path sp = Files.createDirectories(venv.resolve("lib/python3.12/site-packages"));
        Path cudnn = Files.createDirectories(sp.resolve("nvidia/cudnn/lib"));
        Path cu13 = Files.createDirectories(sp.resolve("nvidia/cu13/lib"));
        Path other = Files.createDirectories(sp.resolve("nvidia/aaa_other/lib"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<Path> folders = LibrarySearchPath.folders(
                Map.of(
                        "LD_LIBRARY_PATH",
                        ld1 + "::" + ld2 + ":" + tmp.resolve("missing"),
                        "VIRTUAL_ENV",
                        venv.toString()),
                home,
                false);
        assertEquals(ld1, folders.get(0));
        assertEquals(ld2, folders.get(1));
        assertFalse(folders.contains(tmp.resolve("missing")), "folders that do not exist are dropped");
        int iCudnn = folders.indexOf(cudnn);
        assertTrue(iCudnn > 1, "python's folders come after LD_LIBRARY_PATH: " + folders);
        assertEquals(cu13, folders.get(iCudnn + 1), "cudnn, then cu13, then the other nvidia packages");
        assertTrue(folders.indexOf(other) > iCudnn + 1);
    }

    @Test
    void theEnvironmentsCudaFoldersComeAfterLdLibraryPathInTheOrderTheReadmeGives(@TempDir Path tmp)
            throws IOException {
        Path ld = Files.createDirectories(tmp.resolve("ld"));
        Map<String, String> env = new HashMap<>();
        env.put("LD_LIBRARY_PATH", ld.toString());
        List<String> vars = List.of("CUDNN_PATH", "CUDNN_HOME", "CUDA_HOME", "CUDA_PATH");
        for (String v : vars) {
            Files.createDirectories(tmp.resolve(v).resolve("lib64"));
            Files.createDirectories(tmp.resolve(v).resolve("lib"));
            env.put(v, tmp.resolve(v).toString());
        }
        List<Path> folders = LibrarySearchPath.folders(env, Files.createDirectories(tmp.resolve("home")), false);
        assertEquals(ld, folders.get(0));
        for (int i = 0; i < vars.size(); i++) {
            assertEquals(
                    tmp.resolve(vars.get(i)).resolve("lib64"), folders.get(1 + 2 * i), vars.get(i) + ": " + folders);
            assertEquals(tmp.resolve(vars.get(i)).resolve("lib"), folders.get(2 + 2 * i), vars.get(i) + ": " + folders);
        }
    }

    @Test
    void readsLdSoConfWithIncludes(@TempDir Path tmp) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("ld.so.conf.d"));
        Files.writeString(tmp.resolve("ld.so.conf"), "# comment\ninclude ld.so.conf.d/*.conf\n/opt/top\n");
        Files.writeString(d.resolve("cuda.conf"), "/usr/local/cuda-13.0/targets/x86_64-linux/lib  # cuda\n");
        Files.writeString(d.resolve("zz.conf"), "/opt/zz\n");
        Files.writeString(d.resolve("ignored.txt"), "/opt/ignored\n");
        assertEquals(
                List.of(
                        Path.of("/usr/local/cuda-13.0/targets/x86_64-linux/lib"),
                        Path.of("/opt/zz"),
                        Path.of("/opt/top")),
                LibrarySearchPath.ldSoConfFolders(tmp.resolve("ld.so.conf")));
    }
}
