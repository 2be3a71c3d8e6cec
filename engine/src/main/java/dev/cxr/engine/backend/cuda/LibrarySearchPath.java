package dev.cxr.engine.backend.cuda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where {@link NativeLibraries} looks for the CUDA libraries, in this order: the folders of
 * LD_LIBRARY_PATH; {@code lib64} and {@code lib} under CUDNN_PATH, CUDNN_HOME, CUDA_HOME and CUDA_PATH;
 * the usual system folders and those listed in /etc/ld.so.conf (and the files it includes); then the
 * {@code nvidia/<package>/lib} folders of Python's site-packages (virtualenv, conda, the user's,
 * pyenv's, the system's, and the one python3 itself names, asked with a few seconds' limit), where
 * pip's nvidia-cudnn-cu12 and friends put cuDNN. Folders that do not exist are left out.
 */
final class LibrarySearchPath {
    private LibrarySearchPath() {}

    private static final List<String> SYSTEM_FOLDERS = List.of(
            "/usr/local/cuda/lib64",
            "/usr/local/cuda/targets/x86_64-linux/lib",
            "/usr/local/cuda/lib",
            "/usr/lib/x86_64-linux-gnu",
            "/lib/x86_64-linux-gnu",
            "/usr/lib64",
            "/lib64",
            "/usr/local/lib",
            "/usr/lib");

    /** The nvidia/* pip packages that hold the libraries cxr uses, most specific first. */
    private static final List<String> PYTHON_NVIDIA_PACKAGES =
            List.of("cudnn", "cu13", "cublas", "cu12", "cuda_nvrtc", "cuda_runtime");

    /** The folders for this process: its environment, its user's home, and python3's own answer. */
    static List<Path> forThisMachine() {
        return folders(System.getenv(), Path.of(System.getProperty("user.home", "/")), true);
    }

    /**
     * The folders that exist, in search order, for this environment and home folder.
     *
     * @param askPython whether to start python3 to ask for its site-packages folder (tests say no)
     */
    static List<Path> folders(Map<String, String> env, Path home, boolean askPython) {
        Set<Path> out = new LinkedHashSet<>();
        addPathList(out, env.get("LD_LIBRARY_PATH"));
        for (String var : List.of("CUDNN_PATH", "CUDNN_HOME", "CUDA_HOME", "CUDA_PATH")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                out.add(Path.of(v, "lib64"));
                out.add(Path.of(v, "lib"));
            }
        }
        for (String s : SYSTEM_FOLDERS) {
            out.add(Path.of(s));
        }
        out.addAll(ldSoConfFolders(Path.of("/etc/ld.so.conf")));
        for (Path sitePackages : sitePackages(env, home, askPython)) {
            out.addAll(nvidiaLibFolders(sitePackages));
        }
        out.removeIf(p -> !Files.isDirectory(p));
        return new ArrayList<>(out);
    }

    private static void addPathList(Set<Path> out, String list) {
        if (list == null) {
            return;
        }
        for (String part : list.split(":")) {
            if (!part.isBlank()) {
                out.add(Path.of(part));
            }
        }
    }

    /** The nvidia/&lt;package&gt;/lib folders in one site-packages folder, cxr's packages first. */
    static List<Path> nvidiaLibFolders(Path sitePackages) {
        Path nvidia = sitePackages.resolve("nvidia");
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(nvidia)) {
            return out;
        }
        for (String pkg : PYTHON_NVIDIA_PACKAGES) {
            Path lib = nvidia.resolve(pkg).resolve("lib");
            if (Files.isDirectory(lib)) {
                out.add(lib);
            }
        }
        try (Stream<Path> pkgs = Files.list(nvidia)) {
            pkgs.sorted()
                    .map(p -> p.resolve("lib"))
                    .filter(Files::isDirectory)
                    .filter(p -> !out.contains(p))
                    .forEach(out::add);
        } catch (IOException e) {
            // an unreadable folder is simply not searched
        }
        return out;
    }

    /** Likely site-packages folders: virtualenv, conda, the user's, pyenv's and the system's, then python3's own answer. */
    static List<Path> sitePackages(Map<String, String> env, Path home, boolean askPython) {
        Set<Path> out = new LinkedHashSet<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) {
                out.addAll(glob(Path.of(v, "lib"), "python3*", "site-packages"));
            }
        }
        out.addAll(glob(home.resolve(".local/lib"), "python3*", "site-packages"));
        for (Path version : glob(home.resolve(".pyenv/versions"), "*", "lib")) {
            out.addAll(glob(version, "python3*", "site-packages"));
        }
        out.addAll(glob(Path.of("/usr/local/lib"), "python3*", "dist-packages"));
        out.addAll(glob(Path.of("/usr/local/lib"), "python3*", "site-packages"));
        out.add(Path.of("/usr/lib/python3/dist-packages"));
        out.addAll(glob(Path.of("/usr/lib"), "python3*", "site-packages"));
        if (askPython) {
            askPython().ifPresent(out::add);
        }
        out.removeIf(p -> !Files.isDirectory(p));
        return new ArrayList<>(out);
    }

    private static List<Path> glob(Path parent, String pattern, String child) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(parent, pattern)) {
            for (Path p : dir) {
                Path c = p.resolve(child);
                if (Files.isDirectory(c)) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            // not searched
        }
        out.sort(null);
        return out;
    }

    /** python3's purelib folder, if python3 is on the PATH and answers within a few seconds. */
    private static Optional<Path> askPython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                    .redirectErrorStream(true)
                    .start();
            String line;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 && line != null && !line.isBlank()
                    ? Optional.of(Path.of(line.trim()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Folders listed in /etc/ld.so.conf and the files it includes. */
    static List<Path> ldSoConfFolders(Path conf) {
        List<Path> out = new ArrayList<>();
        readLdSoConf(conf, out, 0);
        return out;
    }

    private static void readLdSoConf(Path conf, List<Path> out, int depth) {
        if (depth > 4 || !Files.isRegularFile(conf)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;
        }
        for (String raw : lines) {
            String line = raw.replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("include ")) {
                String pattern = line.substring("include ".length()).trim();
                Path p = conf.getParent().resolve(pattern);
                Path parent = p.getParent();
                if (parent == null || !Files.isDirectory(parent)) {
                    continue;
                }
                try (DirectoryStream<Path> dir =
                        Files.newDirectoryStream(parent, p.getFileName().toString())) {
                    List<Path> included = new ArrayList<>();
                    dir.forEach(included::add);
                    included.sort(null);
                    for (Path inc : included) {
                        readLdSoConf(inc, out, depth + 1);
                    }
                } catch (IOException e) {
                    // skip
                }
            } else if (line.startsWith("/")) {
                out.add(Path.of(line));
            }
        }
    }
}
