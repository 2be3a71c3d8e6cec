package dev.cxr.cli;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes: where to run and how much to say. Declared once on the top command
 * and inherited by every subcommand, so {@code cxr --device cpu train} and
 * {@code cxr train --device cpu} mean the same.
 */
public final class GlobalOptions {

    @Option(
            names = "--device",
            scope = ScopeType.INHERIT,
            paramLabel = "auto|cpu|gpu",
            converter = DeviceConverter.class,
            defaultValue = "auto",
            description =
                    "Where to run: auto (GPU if usable, else CPU), cpu, gpu, or reference (slow oracle). Default: ${DEFAULT-VALUE}.")
    Device device = Device.AUTO;

    @Option(
            names = "--gpu-index",
            scope = ScopeType.INHERIT,
            paramLabel = "N",
            defaultValue = "0",
            description = "Which GPU to use when there are several. Default: ${DEFAULT-VALUE}.")
    int gpuIndex;

    @Option(
            names = "--threads",
            scope = ScopeType.INHERIT,
            paramLabel = "N",
            defaultValue = "0",
            description = "CPU threads; 0 means all cores. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    public Device device() {
        return device;
    }

    public int gpuIndex() {
        return gpuIndex;
    }

    public int threads() {
        return threads;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Opens the chosen backend; a one-line notice goes to {@code err} when auto falls back. */
    public Backend openBackend(java.io.PrintWriter err) {
        return Backends.open(device, gpuIndex, threads, Notices.to(err));
    }

    /** Parses --device values with the engine's own message for a wrong one. */
    public static final class DeviceConverter implements picocli.CommandLine.ITypeConverter<Device> {
        @Override
        public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (dev.cxr.engine.CxrException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
