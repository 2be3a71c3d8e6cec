package dev.cxr.model.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.backend.cpu.ReferenceBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeadTest {
    /** The tutorial's head with Keras's layer names, as every model.h5 so far records it. */
    static final String TUTORIAL_NAMED =
            "AveragePooling2D(4x4) > Flatten > Dense(64, relu) 'dense' > Dropout(0.5) > Dense(2, softmax) 'dense_1'";

    @Test
    void theHeadReadsFourOfSevenRows() {
        assertEquals(4, Head.featureRowsRead(7));
        assertEquals(4, Head.featureRowsRead(4));
        assertEquals(8, Head.featureRowsRead(8));
    }

    @Test
    void describesItselfFromItsLayers() {
        try (Backend backend = new ReferenceBackend();
                Head faithful = Head.faithful(backend, 32, 2, Head.DROPOUT, new SplittableRandom(1));
                Head threeClasses = Head.faithful(backend, 32, 3, 0.25f, new SplittableRandom(1));
                Head pooled = Head.onPooled(backend, 32, 2, Head.DROPOUT, new SplittableRandom(1))) {
            assertEquals(TUTORIAL_NAMED, faithful.describe(true));
            assertEquals(
                    "AveragePooling2D(4x4) > Flatten > Dense(64, relu) > Dropout(0.25) > Dense(3, softmax)",
                    threeClasses.describe(false));
            assertEquals("Dense(64, relu) > Dropout(0.5) > Dense(2, softmax)", pooled.describe(false));
            assertFalse(faithful.expectsPooledFeatures());
            assertTrue(pooled.expectsPooledFeatures());
        }
    }
}
