package dev.cxr.model.weights;

import dev.cxr.engine.CxrException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where the VGG16 ImageNet weights file lives, and that it is the right one. The folder is, in
 * order: the system property {@value #DIR_PROPERTY}; {@code weights/} of the repository when cxr
 * runs from it (the {@code ./cxr} launcher exports {@value #REPO_ENV}); {@code $CXR_HOME/weights};
 * else {@code ~/.cache/cxr/weights}. A file found there is used only when its md5 is the expected
 * one. When there is none, {@link WeightsDownload} fetches it from Keras's official address (or the
 * one in {@value #URL_PROPERTY} / {@value #URL_ENV}) to a {@code .part} name, renamed into place only
 * after its md5 matches, so the folder never holds a partial or wrong file under the real name.
 */
public final class WeightsStore {
    /** System property naming the weights folder (overrides everything else). */
    public static final String DIR_PROPERTY = "cxr.weights.dir";
    /** Set by the {@code ./cxr} launcher to the repository root. */
    public static final String REPO_ENV = "CXR_REPO";
    /** cxr's home outside a repository; weights go to its {@code weights/} folder. */
    public static final String HOME_ENV = "CXR_HOME";
    /** System property with another download address (a mirror, or a local server in tests). */
    public static final String URL_PROPERTY = "cxr.weights.url";
    /** Environment variable with another download address; the system property wins. */
    public static final String URL_ENV = "CXR_WEIGHTS_URL";
    /** The hint every "no weights" message ends with. */
    public static final String HOW_TO_GET =
            "run 'cxr weights fetch' to download the VGG16 ImageNet weights, or see weights/README.md";

    private final Path folder;
    private final URI source;
    private final String expectedMd5;
    private final Consumer<String> log;
    private final boolean progressBar;

    /**
     * @param folder      where the file goes
     * @param source      where to download it from
     * @param expectedMd5 the md5 the downloaded file must have (lower-case hex)
     * @param log         receives one-line notices
     * @param progressBar whether to draw a progress bar on stderr while downloading
     */
    public WeightsStore(Path folder, URI source, String expectedMd5, Consumer<String> log, boolean progressBar) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.source = Objects.requireNonNull(source, "source");
        this.expectedMd5 = Objects.requireNonNull(expectedMd5, "expectedMd5");
        this.log = Objects.requireNonNull(log, "log");
        this.progressBar = progressBar;
    }

    /** The store for the official file, in the folder and from the address the environment names. */
    public static WeightsStore fromEnvironment(Consumer<String> log) {
        return new WeightsStore(
                defaultFolder(System.getenv(), System.getProperty("user.home")),
                sourceFromEnvironment(),
                Vgg16Weights.IMAGENET_NOTOP_MD5,
                log,
                true);
    }

    /**
     * The verified default weights file (VGG16 ImageNet, no top), fetched on first use.
     *
     * @param log receives progress and one-line notices
     * @throws CxrException when the file is absent and cannot be fetched, saying where to put it
     */
    public static Path resolveDefault(Consumer<String> log) {
        return fromEnvironment(log).resolve();
    }

    /** The weights folder for this environment (see the class comment for the order). */
    static Path defaultFolder(Map<String, String> env, String userHome) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        String repo = env.get(REPO_ENV);
        if (repo != null && !repo.isBlank() && Files.isDirectory(Path.of(repo))) {
            return Path.of(repo, "weights");
        }
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) {
            return Path.of(home, "weights");
        }
        return Path.of(userHome, ".cache", "cxr", "weights");
    }

    private static URI sourceFromEnvironment() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            url = System.getenv(URL_ENV);
        }
        if (url == null || url.isBlank()) {
            url = Vgg16Weights.IMAGENET_NOTOP_URL;
        }
        try {
            return URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new CxrException(
                    "weights download address '" + url + "' is not a URL (" + URL_PROPERTY + " / " + URL_ENV + ")");
        }
    }

    public Path folder() {
        return folder;
    }

    /** Where the weights file is (or will be). */
    public Path file() {
        return folder.resolve(Vgg16Weights.IMAGENET_NOTOP_FILE);
    }

    public URI source() {
        return source;
    }

    /**
     * The weights file, checked; downloaded first when absent.
     *
     * @throws CxrException when it is absent and the download fails, or present with a wrong md5
     */
    public Path resolve() {
        Path file = file();
        if (!Files.exists(file)) {
            log.accept("VGG16 weights not found at " + file + ": downloading them once (about 59 MB)");
            return fetch();
        }
        requireExpectedMd5(file);
        return file;
    }

    /**
     * Downloads the file into the folder unless a correct one is already there; returns its path.
     *
     * @throws CxrException offline, on an HTTP error, a short or wrong download; nothing is left
     *                      under the real name, and the {@code .part} file is removed
     */
    public Path fetch() {
        Path file = file();
        if (Files.exists(file)) {
            requireExpectedMd5(file);
            log.accept(file + " is already there and its md5 matches");
            return file;
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new CxrException("cannot create the weights folder " + folder + " (" + e.getMessage() + ")", e);
        }
        Path part = folder.resolve(Vgg16Weights.IMAGENET_NOTOP_FILE + ".part");
        try {
            String md5 = new WeightsDownload(source, progressBar, byHand()).into(part);
            if (!md5.equals(expectedMd5)) {
                throw new CxrException("downloaded file from " + source + " has md5 " + md5 + ", expected "
                        + expectedMd5 + "; not kept (a proxy or a changed file?). " + byHand());
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
            log.accept("saved " + file + " (md5 " + md5 + ")");
            return file;
        } catch (IOException e) {
            throw new CxrException("cannot write " + part + " (" + e.getMessage() + ")", e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                log.accept("could not remove " + part + ": " + e.getMessage());
            }
        }
    }

    private void requireExpectedMd5(Path file) {
        String md5 = Vgg16Weights.md5(file);
        if (!md5.equals(expectedMd5)) {
            throw new CxrException(
                    file + " has md5 " + md5 + ", expected " + expectedMd5
                            + " (damaged or another file): delete it and run 'cxr weights fetch', or pass it with --weights FILE");
        }
    }

    private String byHand() {
        return "By hand: download " + source + " and put it at " + file() + " (md5 " + expectedMd5 + ")";
    }
}
