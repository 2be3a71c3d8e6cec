package dev.cxr.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps jhdf's notes on the HDF5 files it reads (a WARN line per odd attribute of the Keras files,
 * a dozen per model load) out of Spark's logs, on the driver and on every executor: Spark logs
 * WARN and above through log4j 2, where the {@code cxr} command has no logger at all. Its errors
 * still show. Where a cluster's Spark logs through something other than log4j 2, this does nothing.
 */
final class QuietLogs {
    private static volatile boolean done;

    private QuietLogs() {}

    static void jhdf() {
        if (done) {
            return;
        }
        try {
            Configurator.setLevel("io.jhdf", Level.ERROR);
        } catch (LinkageError | RuntimeException e) {
            // no log4j 2 core here: its notes stay, nothing else changes
        }
        done = true;
    }
}
