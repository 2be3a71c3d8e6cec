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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the CUDA libraries (cuDNN 9, cuBLAS 12) that JCuda's JNI libraries link against, and loads
 * them by absolute path before those JNI libraries load. The dynamic loader only searches
 * LD_LIBRARY_PATH as it was when the JVM started, its cache and the system folders; cuDNN often
 * lives elsewhere, in Python's {@code site-packages/nvidia/cudnn/lib} for instance. Once a library
 * is loaded by path, the loader resolves later requests for its soname to that copy.
 *
 * <p>Search order: LD_LIBRARY_PATH, CUDNN_PATH / CUDA_HOME / CUDA_PATH, the usual system folders and
 * those in /etc/ld.so.conf, then Python's {@code nvidia/<package>/lib} folders.
 */
final class NativeLibraries {
    /** What the search saw: the folders in order, for messages that name where it looked. */
    private final List<Path> folders;

    private NativeLibraries(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** The search path of this process (environment, system folders, Python's nvidia packages). */
    static NativeLibraries forThisMachine() {
        return new NativeLibraries(searchFolders(System.getenv(), Path.of(System.getProperty("user.home", "/")), true));
    }

    /** A search over exactly these folders (tests). */
    static NativeLibraries of(List<Path> folders) {
        return new NativeLibraries(folders);
    }

    List<Path> folders() {
        return folders;
    }

    /** The folders as one short string for messages: "LD_LIBRARY_PATH (/a:/b), /usr/lib/..., ...". */
    String describeFolders() {
        StringBuilder sb = new StringBuilder();
        for (Path p : folders) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(p);
        }
        return sb.toString();
    }

    /** The first file named {@code soname} in the search folders. */
    Optional<Path> find(String soname) {
        for (Path dir : folders) {
            Path candidate = dir.resolve(soname);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * Loads {@code soname} from the search folders. When the loader reports a missing dependency
     * ("libX.so.N: cannot open shared object file"), that dependency is looked up and loaded first.
     *
     * @return the file loaded, or empty when the library is in none of the folders
     * @throws UnsatisfiedLinkError when the file exists but cannot be loaded, with the loader's reason
     */
    Optional<Path> load(String soname) {
        return load(soname, new LinkedHashSet<>(), 0);
    }

    private Optional<Path> load(String soname, Set<String> inProgress, int depth) {
        Optional<Path> file = find(soname);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        inProgress.add(soname);
        UnsatisfiedLinkError last = null;
        for (int attempt = 0; attempt < 16; attempt++) {
            try {
                System.load(file.get().toString());
                return file;
            } catch (UnsatisfiedLinkError e) {
                last = e;
                String missing = missingDependency(e.getMessage());
                if (missing == null || inProgress.contains(missing) || depth > 8
                        || load(missing, inProgress, depth + 1).isEmpty()) {
                    break;
                }
            }
        }
        throw last;
    }

    /**
     * Loads every file in the folder of {@code anchor} whose name matches {@code siblings}, in any
     * order that satisfies their dependencies on each other (cuDNN 9 is split into libcudnn_graph,
     * _ops, _cnn, ... which libcudnn.so.9 opens by soname). Failures are returned, not thrown:
     * a sub-library we never call may lack a dependency without harm.
     */
    List<String> loadSiblings(Path anchor, Pattern siblings) {
        List<String> failures = new ArrayList<>();
        List<Path> pending = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(anchor.getParent())) {
            for (Path p : dir) {
                if (siblings.matcher(p.getFileName().toString()).matches() && !p.equals(anchor)) {
                    pending.add(p);
                }
            }
        } catch (IOException e) {
            failures.add(anchor.getParent() + ": " + e.getMessage());
            return failures;
        }
        pending.sort(null);
        for (Path p : pending) {
            try {
                load(p.getFileName().toString());
            } catch (UnsatisfiedLinkError e) {
                failures.add(p.getFileName() + ": " + shortReason(e));
            }
        }
        return failures;
    }

    private static final Pattern MISSING = Pattern.compile("(lib[A-Za-z0-9_+.-]+\\.so(?:\\.[0-9]+)*): cannot open shared object file");

    /** The soname the loader could not find, from an UnsatisfiedLinkError's message; null if none. */
    static String missingDependency(String message) {
        if (message == null) {
            return null;
        }
        String last = null;
        Matcher m = MISSING.matcher(message);
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static final Pattern LOADER_REASON = Pattern.compile(
            "(lib[A-Za-z0-9_+.-]+\\.so(?:\\.[0-9]+)*: cannot open shared object file"
            + "|undefined symbol: \\S+|version `[^']+' not found[^\\n]*|wrong ELF class[^\\n]*|file too short)");

    /**
     * The loader's reason in a few words ("libcuda.so.1: cannot open shared object file"), taken from
     * a JNI loading error, whose message JCuda makes many lines long; the cause chain is searched too.
     */
    static String shortReason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String msg = c.getMessage();
            if (msg == null) {
                continue;
            }
            String last = null;
            Matcher m = LOADER_REASON.matcher(msg);
            while (m.find()) {
                last = m.group(1);
            }
            if (last != null) {
                return last;
            }
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    // ---- the search path ----

    private static final List<String> SYSTEM_FOLDERS = List.of(
            "/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/local/cuda/lib",
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/local/lib",
            "/usr/lib");

    /** The nvidia/* pip packages that hold the libraries cxr uses, most specific first. */
    private static final List<String> PYTHON_NVIDIA_PACKAGES = List.of(
            "cudnn", "cu13", "cublas", "cu12", "cuda_nvrtc", "cuda_runtime");

    static List<Path> searchFolders(Map<String, String> env, Path home, boolean askPython) {
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
            pkgs.sorted().map(p -> p.resolve("lib")).filter(Files::isDirectory).filter(p -> !out.contains(p)).forEach(out::add);
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
                    .redirectErrorStream(true).start();
            String line;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 && line != null && !line.isBlank() ? Optional.of(Path.of(line.trim())) : Optional.empty();
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
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(parent, p.getFileName().toString())) {
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
