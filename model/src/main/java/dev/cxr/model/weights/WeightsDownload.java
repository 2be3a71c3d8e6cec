package dev.cxr.model.weights;

import dev.cxr.engine.CxrException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * One download of the weights over HTTP(S): the body streamed to a file while its md5 is computed,
 * a progress bar on stderr if asked for, and every network failure (offline, an HTTP error, a body
 * cut short) one line that ends with how to get the file by hand. What is kept, and under which
 * name, is {@link WeightsStore}'s business.
 */
final class WeightsDownload {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final URI source;
    private final boolean progressBar;
    private final String byHand;

    /**
     * @param byHand the sentence every failure ends with: where to download the file and put it
     */
    WeightsDownload(URI source, boolean progressBar, String byHand) {
        this.source = source;
        this.progressBar = progressBar;
        this.byHand = byHand;
    }

    /** Streams the body into {@code part}, returning its md5; every network failure is one line. */
    String into(Path part) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(source).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
            throw new CxrException("cannot reach " + source + " (offline? " + describe(e) + "). " + byHand, e);
        } catch (IOException e) {
            throw new CxrException("cannot download " + source + " (" + describe(e) + "). " + byHand, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CxrException("download of " + source + " interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new CxrException("cannot download from '" + source + "': " + e.getMessage(), e);
        }
        long expectedBytes =
                response.headers().firstValueAsLong("content-length").orElse(-1);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new CxrException(source + ": the server answered HTTP " + response.statusCode() + ". " + byHand);
            }
            MessageDigest md = md5Digest();
            long received = 0;
            try (DigestInputStream in = new DigestInputStream(body, md);
                    OutputStream out = Files.newOutputStream(part);
                    ProgressBar bar = progressBar ? bar(expectedBytes) : null) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = readOrFail(in, buf, received, expectedBytes)) > 0; ) {
                    out.write(buf, 0, r);
                    received += r;
                    if (bar != null) {
                        bar.stepTo(received);
                    }
                }
            }
            if (expectedBytes >= 0 && received != expectedBytes) {
                throw new CxrException("download from " + source + " ended after " + received + " of " + expectedBytes
                        + " bytes; try again. " + byHand);
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }

    private int readOrFail(InputStream in, byte[] buf, long received, long expectedBytes) {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new CxrException(
                    "download from " + source + " broke off after " + received
                            + (expectedBytes >= 0 ? " of " + expectedBytes : "") + " bytes (" + describe(e)
                            + "); try again. "
                            + byHand,
                    e);
        }
    }

    private static ProgressBar bar(long total) {
        return new ProgressBarBuilder()
                .setTaskName("VGG16 weights")
                .setInitialMax(total)
                .setUnit(" MB", 1L << 20)
                .setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed()
                .build();
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
