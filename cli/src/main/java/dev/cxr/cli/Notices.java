package dev.cxr.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** One-line notices on the command's error stream, each prefixed "cxr: " and flushed at once. */
final class Notices {
    private Notices() {}

    static Consumer<String> to(PrintWriter err) {
        return msg -> {
            err.println("cxr: " + msg);
            err.flush();
        };
    }
}
