package dev.cxr.engine.backend.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the CUDA libraries (cuDNN 9, cuBLAS 12) that JCuda's JNI libraries link against, and loads
 * them by absolute path before those JNI libraries load. The dynamic loader only searches
 * LD_LIBRARY_PATH as it was when the JVM started, its cache and the system folders; cuDNN often
 * lives elsewhere, in Python's {@code site-packages/nvidia/cudnn/lib} for instance. Once a library
 * is loaded by path, the loader resolves later requests for its soname to that copy.
 *
 * <p>Where it looks is {@link LibrarySearchPath}'s policy; this class only finds a soname in those
 * folders and loads it.
 */
final class NativeLibraries {
    /** What the search saw: the folders in order, for messages that name where it looked. */
    private final List<Path> folders;

    private NativeLibraries(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** The search path of this process (see {@link LibrarySearchPath#forThisMachine}). */
    static NativeLibraries forThisMachine() {
        return new NativeLibraries(LibrarySearchPath.forThisMachine());
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
                if (missing == null
                        || inProgress.contains(missing)
                        || depth > 8
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

    private static final Pattern MISSING =
            Pattern.compile("(lib[A-Za-z0-9_+.-]+\\.so(?:\\.[0-9]+)*): cannot open shared object file");

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
}
