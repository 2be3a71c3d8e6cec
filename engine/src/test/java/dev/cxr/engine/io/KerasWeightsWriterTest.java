package dev.cxr.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.KerasWeightsWriter.LayerWeights;
import dev.cxr.engine.io.KerasWeightsWriter.Weight;
import dev.cxr.engine.testing.Data;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasWeightsWriterTest {
    @TempDir
    Path dir;

    private static List<LayerWeights> head(float[] k1, float[] b1, float[] k2, float[] b2) {
        return List.of(
                new LayerWeights(
                        "dense",
                        List.of(new Weight("kernel:0", new int[] {6, 4}, k1), new Weight("bias:0", new int[] {4}, b1))),
                new LayerWeights(
                        "dense_1",
                        List.of(
                                new Weight("kernel:0", new int[] {4, 2}, k2),
                                new Weight("bias:0", new int[] {2}, b2))));
    }

    @Test
    void writesTheKerasLegacyLayoutAndReadsBack() throws Exception {
        float[] k1 = Data.uniform(24, 1f, 1);
        float[] b1 = Data.uniform(4, 1f, 2);
        float[] k2 = Data.uniform(8, 1f, 3);
        float[] b2 = Data.uniform(2, 1f, 4);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("cxr_classes", new String[] {"covid", "normal"});
        attrs.put("cxr_input_size", new int[] {224, 224});
        attrs.put("cxr_note", "hello");
        Path file = dir.resolve("model.h5");
        KerasWeightsWriter.write(file, head(k1, b1, k2, b2), attrs);

        try (HdfFile h5 = new HdfFile(file)) {
            assertArrayEquals(new String[] {"dense", "dense_1"}, (String[])
                    h5.getAttribute("layer_names").getData());
            assertArrayEquals(new String[] {"covid", "normal"}, (String[])
                    h5.getAttribute("cxr_classes").getData());
            assertArrayEquals(new int[] {224, 224}, (int[])
                    h5.getAttribute("cxr_input_size").getData());
            assertEquals("hello", h5.getAttribute("cxr_note").getData());
            Group dense = (Group) h5.getChild("dense");
            assertArrayEquals(new String[] {"dense/kernel:0", "dense/bias:0"}, (String[])
                    dense.getAttribute("weight_names").getData());
            Dataset kernel = h5.getDatasetByPath("dense/dense/kernel:0");
            assertArrayEquals(new int[] {6, 4}, kernel.getDimensions());
            assertArrayEquals(k1, (float[]) kernel.getDataFlat());
            // the nested array is row-major: element [1][2] is flat index 1*4+2
            assertEquals(k1[6], ((float[][]) kernel.getData())[1][2]);
            assertArrayEquals(
                    b1, (float[]) h5.getDatasetByPath("dense/dense/bias:0").getDataFlat());
            assertArrayEquals(k2, (float[])
                    h5.getDatasetByPath("dense_1/dense_1/kernel:0").getDataFlat());
            assertArrayEquals(
                    b2, (float[]) h5.getDatasetByPath("dense_1/dense_1/bias:0").getDataFlat());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void replacesAnExistingFileWhole() throws Exception {
        Path file = dir.resolve("model.h5");
        Files.writeString(file, "old contents");
        float[] k1 = Data.uniform(24, 1f, 5);
        KerasWeightsWriter.write(
                file, head(k1, Data.uniform(4, 1f, 6), Data.uniform(8, 1f, 7), Data.uniform(2, 1f, 8)), Map.of());
        try (HdfFile h5 = new HdfFile(file)) {
            assertArrayEquals(
                    k1, (float[]) h5.getDatasetByPath("dense/dense/kernel:0").getDataFlat());
        }
    }

    @Test
    void anUnwritableFolderIsAClearErrorAndLeavesNothing() throws Exception {
        Path missing = dir.resolve("no-such-folder").resolve("model.h5");
        CxrException e = assertThrows(
                CxrException.class,
                () -> KerasWeightsWriter.write(
                        missing,
                        head(
                                Data.uniform(24, 1f, 1),
                                Data.uniform(4, 1f, 2),
                                Data.uniform(8, 1f, 3),
                                Data.uniform(2, 1f, 4)),
                        Map.of()));
        assertTrue(e.getMessage().startsWith("cannot write " + missing.toAbsolutePath()), e.getMessage());
        assertTrue(Files.notExists(missing));
    }

    @Test
    void rejectsInconsistentWeights() {
        assertThrows(IllegalArgumentException.class, () -> new Weight("kernel:0", new int[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> new Weight("kernel:0", new int[] {}, new float[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LayerWeights("a/b", List.of(new Weight("bias:0", new int[] {1}, new float[] {1}))));
        LayerWeights l = new LayerWeights("dense", List.of(new Weight("bias:0", new int[] {1}, new float[] {1})));
        assertThrows(
                IllegalArgumentException.class,
                () -> KerasWeightsWriter.write(dir.resolve("x.h5"), List.of(l, l), Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> KerasWeightsWriter.write(dir.resolve("x.h5"), List.of(l), Map.of("layer_names", "x")));
    }

    @Test
    void nestsRowMajor() {
        float[] flat = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[][][] n = (float[][][]) KerasWeightsWriter.nest(flat, new int[] {2, 3, 2});
        assertEquals(1f, n[0][0][0]);
        assertEquals(4f, n[0][1][1]);
        assertEquals(7f, n[1][0][0]);
        assertEquals(12f, n[1][2][1]);
    }
}
