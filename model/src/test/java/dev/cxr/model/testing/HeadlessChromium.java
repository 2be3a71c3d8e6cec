package dev.cxr.model.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven over the DevTools protocol with nothing but the JDK's
 * {@link WebSocket} and Jackson: it opens a page, records every console message, uncaught exception
 * and browser log entry of level error while the page loads, evaluates an expression in the page
 * (DevTools evaluation is not bound by the page's Content-Security-Policy, so a page that runs no
 * script can still be inspected), and takes a screenshot of the whole page. The browser listens on
 * a loopback port of its own choosing and gets a fresh profile folder, removed on close.
 */
public final class HeadlessChromium implements AutoCloseable {
    /** Where Debian puts it, and other names it goes by; {@code CXR_CHROMIUM} names any other. */
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** What a page showed. */
    public record Visit(List<String> errors, JsonNode evaluated, byte[] screenshot) {}

    /** The Chromium executable, or empty where none is installed. */
    public static Optional<Path> find() {
        String given = System.getenv("CXR_CHROMIUM");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts the browser with a fresh profile and attaches to its first page. */
    public static HeadlessChromium start(Path executable, int width) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("cxr-chromium-");
        List<String> cmd = List.of(
                executable.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=" + width + ",900",
                "about:blank");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String browserUrl = awaitListening(p);
            URI browser = URI.create(browserUrl);
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String list = http.send(
                            HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                                    .timeout(TIMEOUT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String page = null;
            for (JsonNode t : new ObjectMapper().readTree(list)) {
                if ("page".equals(t.path("type").asText())) {
                    page = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (page == null) {
                throw new IOException("Chromium lists no page target: " + list);
            }
            return new HeadlessChromium(p, profile, http, URI.create(page));
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    private static String awaitListening(Process p) throws IOException {
        CompletableFuture<String> url = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) {
                                url.complete(m.group(1));
                            } else if (!url.isDone()) {
                                synchronized (seen) {
                                    seen.append(line).append('\n');
                                }
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    url.completeExceptionally(new IOException("Chromium exited before listening:\n" + seen));
                },
                "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("Chromium did not start its DevTools server: " + e.getMessage(), e);
        }
    }

    private HeadlessChromium(Process process, Path profile, HttpClient http, URI page) {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .buildAsync(page, new Listener())
                .join();
    }

    /** A JSON message from the browser: a reply (with the id of its command) or an event. */
    private void received(String text) {
        JsonNode m;
        try {
            m = json.readTree(text);
        } catch (IOException e) {
            errors.add("unreadable DevTools message: " + text);
            return;
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = m.path("method").asText();
        JsonNode params = m.path("params");
        switch (method) {
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + params.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.path("exceptionDetails"));
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + params.path("entry").path("text").asText() + " "
                            + params.path("entry").path("url").asText());
                }
            }
            case "Page.loadEventFired" -> loaded.complete(null);
            default -> {}
        }
    }

    private JsonNode send(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = json.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params == null ? json.createObjectNode() : params);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(msg.toString(), true).join();
        JsonNode r;
        try {
            r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + ": no reply from Chromium (" + e + ")", e);
        }
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    /**
     * Opens {@code file}, waits for its load event (every image loaded or failed), evaluates
     * {@code expression} (which returns a JSON string) and takes a screenshot of the whole page.
     */
    public Visit visit(Path file, String expression) {
        errors.clear();
        send("Runtime.enable", null);
        send("Log.enable", null);
        send("Page.enable", null);
        loaded = new CompletableFuture<>();
        ObjectNode nav = json.createObjectNode();
        nav.put("url", file.toAbsolutePath().toUri().toString());
        JsonNode navigated = send("Page.navigate", nav);
        if (navigated.has("errorText")) {
            throw new IllegalStateException(
                    "cannot open " + file + ": " + navigated.get("errorText").asText());
        }
        try {
            loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(file + " did not finish loading: " + e, e);
        }
        // images decode off the main thread: wait for every one before measuring them
        evaluate("Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() => 'ok')");
        JsonNode result;
        try {
            result = json.readTree(evaluate(expression).asText());
        } catch (IOException e) {
            throw new IllegalStateException("the expression did not return JSON: " + e.getMessage(), e);
        }
        double height = evaluate("document.documentElement.scrollHeight").asDouble();
        double width = evaluate("document.documentElement.scrollWidth").asDouble();
        ObjectNode shot = json.createObjectNode();
        shot.put("format", "png");
        shot.put("captureBeyondViewport", true);
        ObjectNode clip = shot.putObject("clip");
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", width);
        clip.put("height", Math.min(height, 16000));
        clip.put("scale", 1);
        byte[] png = Base64.getDecoder()
                .decode(send("Page.captureScreenshot", shot).path("data").asText());
        return new Visit(List.copyOf(errors), result, png);
    }

    private JsonNode evaluate(String expression) {
        ObjectNode p = json.createObjectNode();
        p.put("expression", expression);
        p.put("returnByValue", true);
        p.put("awaitPromise", true);
        JsonNode r = send("Runtime.evaluate", p);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("evaluation failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the process is ended below either way
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary profile left behind does no harm
        }
    }

    /** Collects text frames (a message may come in several) and hands each whole message on. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                received(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            errors.add("DevTools connection failed: " + error);
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
