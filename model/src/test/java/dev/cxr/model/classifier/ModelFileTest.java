package dev.cxr.model.classifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.testing.NarrowVgg;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    static ModelFile sample(int channels) {
        return new ModelFile(List.of("covid", "normal"), 224, Preprocessing.TUTORIAL, "0123456789abcdef0123456789abcdef",
                new int[] {8, 16, 32, 32, channels}, "/somewhere/weights.h5", channels, random(channels * 64, 1),
                random(64, 2), random(128, 3), random(2, 4), 42, HeadTest.TUTORIAL_NAMED);
    }

    @Test
    void roundTripsAndKeepsTheKerasLayout() throws Exception {
        ModelFile m = sample(32);
        Path file = dir.resolve("model.h5");
        m.write(file);
        assertEquals(m, ModelFile.read(file));
        try (HdfFile h5 = new HdfFile(file)) {
            // what Keras's load_weights(by_name=True) reads
            assertArrayEquals(new String[] {"dense", "dense_1"}, (String[]) h5.getAttribute("layer_names").getData());
            assertArrayEquals(new String[] {"dense_1/kernel:0", "dense_1/bias:0"},
                    (String[]) ((io.jhdf.api.Group) h5.getChild("dense_1")).getAttribute("weight_names").getData());
            assertArrayEquals(new int[] {32, 64}, h5.getDatasetByPath("dense/dense/kernel:0").getDimensions());
            assertArrayEquals(new int[] {64, 2}, h5.getDatasetByPath("dense_1/dense_1/kernel:0").getDimensions());
            assertTrue(((String) h5.getAttribute("description").getData()).contains("not a diagnosis"));
            assertEquals(HeadTest.TUTORIAL_NAMED, h5.getAttribute("cxr_head").getData());
        }
    }

    @Test
    void aFileThatIsNotOursIsRefused() throws Exception {
        // a Keras weights file, but not a cxr model
        CxrException e = assertThrows(CxrException.class, () -> ModelFile.read(NarrowVgg.weights()));
        assertTrue(e.getMessage().endsWith("is not a cxr model file (no cxr_format attribute): give the model.h5 that"
                + " 'cxr train' wrote"), e.getMessage());
        Path text = Files.writeString(dir.resolve("model.h5"), "hello");
        e = assertThrows(CxrException.class, () -> ModelFile.read(text));
        assertTrue(e.getMessage().startsWith(text + " is not a cxr model file (not HDF5"), e.getMessage());
        e = assertThrows(CxrException.class, () -> ModelFile.read(dir.resolve("missing.h5")));
        assertEquals("model file " + dir.resolve("missing.h5") + " not found", e.getMessage());
    }

    @Test
    void refusesWeightsOfTheWrongSize() {
        assertThrows(CxrException.class, () -> new ModelFile(List.of("a", "b"), 224, Preprocessing.CAFFE, "x",
                new int[5], "", 8, new float[8 * 64], new float[64], new float[64 * 3], new float[2], 1, "x"));
    }
}
