package dev.cxr.model.testing;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.Backends;
import dev.cxr.engine.backend.Device;

/** The CPU backend the CLI uses for {@code --device cpu} (the fast one, at the machine's vector width). */
public final class Backends4Tests {
    private Backends4Tests() {}

    public static Backend cpu() {
        return Backends.open(Device.CPU, 0, 0, msg -> {});
    }
}
