package dev.cxr.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths of files in the test resources: this module's, or the engine's when another module's tests
 * read them through the engine's test jar. A resource inside a jar is copied once to a temporary
 * file, deleted when the JVM exits, so callers always get a file they can open.
 */
public final class Resources {
    private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private Resources() {}

    public static Path path(String name) {
        URL url = Resources.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        if (!"file".equals(url.getProtocol())) {
            return EXTRACTED.computeIfAbsent(name, n -> extract(n, url));
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path extract(String name, URL url) {
        try (InputStream in = url.openStream()) {
            String file = Path.of(name).getFileName().toString();
            Path tmp = Files.createTempFile("cxr-test-", "-" + file);
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract test resource " + name + " from " + url, e);
        }
    }
}
