package dev.cxr.model.testing;

import dev.cxr.engine.testing.Resources;
import java.nio.file.Path;

/** The narrow VGG16 fixture (widths 8/16/32/32/32, synthetic weights): a forward pass costs about 0.3 s on the reference backend. */
public final class NarrowVgg {
    private NarrowVgg() {}

    public static Path weights() {
        return Resources.path("reference/small/vgg16-narrow-seed11-notop.h5");
    }
}
