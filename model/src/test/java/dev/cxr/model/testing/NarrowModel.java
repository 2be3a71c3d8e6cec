package dev.cxr.model.testing;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import dev.cxr.engine.testing.Data;
import dev.cxr.model.classifier.Head;
import dev.cxr.model.classifier.ModelFile;
import dev.cxr.model.features.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import java.util.List;
import java.util.SplittableRandom;

/** A model on the narrow VGG16 fixture without training: the tutorial's head with seeded random weights and biases. */
public final class NarrowModel {
    private NarrowModel() {}

    public static ModelFile of(long seed, Preprocessing preprocessing) {
        try (Backend backend = new ReferenceBackend();
                FrozenBase base = FrozenBase.load(backend, NarrowVgg.weights());
                Head head = Head.faithful(backend, base.channels(), 2, Head.DROPOUT, new SplittableRandom(0))) {
            head.initialize(new SplittableRandom(seed));
            head.dense().bias().set(Data.uniform(Head.HIDDEN_UNITS, 0.05f, seed + 1));
            head.dense1().bias().set(Data.uniform(2, 0.05f, seed + 2));
            return ModelFile.of(head, List.of("covid", "normal"), 224, preprocessing, base, seed);
        }
    }
}
