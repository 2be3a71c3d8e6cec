package dev.cxr.model.explain;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.classifier.ModelFile;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code heatmaps.h5}: the raw maps of many images in one HDF5 file, one float32 dataset [S, S] per
 * image (row 0 at the top of the image) named by its file name, with the method, the class
 * explained, the prediction and the image's path as given in its attributes. Written to a
 * temporary name and renamed into place. It holds file paths and numbers only: nothing from inside
 * an image file (no DICOM patient fields).
 */
public final class HeatmapsFile {
    public static final String NAME = "heatmaps.h5";

    /**
     * What the file keeps of one explanation (the map and what it explains, not the pictures), so
     * that a long run holds only these until the file is written.
     */
    public record Entry(
            String name,
            CamMethod method,
            String explainedClass,
            String predictedClass,
            float[] probabilities,
            int mapSize,
            float[] map) {
        public static Entry of(Explanation e) {
            return new Entry(
                    e.name(),
                    e.method(),
                    e.explainedClass(),
                    e.predictedClass(),
                    e.probabilities().clone(),
                    e.mapSize(),
                    e.map().clone());
        }
    }

    private HeatmapsFile() {}

    /**
     * Writes the maps, each under its file name.
     *
     * @param about what the root attributes say about the run: the explainer's model, weights and backend
     * @throws CxrException when two images have the same file name, or the file cannot be written
     */
    public static void write(Path file, List<Entry> explanations, Explainer about) {
        List<String> names =
                explanations.stream().map(e -> Explainer.fileName(e.name())).toList();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String before = seen.putIfAbsent(names.get(i), explanations.get(i).name());
            if (before != null) {
                throw new CxrException("two images are named " + names.get(i) + " (" + before + " and "
                        + explanations.get(i).name()
                        + "): maps are named by file name, so rename one or run them separately");
            }
        }
        AtomicFiles.writeFile(file, tmp -> {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                h5.putAttribute("description", "Class-activation maps written by cxr explain. " + ModelFile.DISCLAIMER);
                h5.putAttribute("layer", Explainer.TARGET_LAYER);
                h5.putAttribute(
                        "layout",
                        "one float32 dataset (rows, columns) = (" + about.mapSize() + ", " + about.mapSize()
                                + ") per image, row 0 at the top of the image, the map stretched over the whole image as the"
                                + " network's input was");
                h5.putAttribute("method", about.options().method().toString());
                h5.putAttribute("class", about.options().target());
                h5.putAttribute("rows_read", new int[] {about.rowsRead()});
                h5.putAttribute(
                        "rows_read_note",
                        "only rows and columns 0.." + (about.rowsRead() - 1)
                                + " reach the head (its pool reads block5_pool's top-left corner): the score does not depend on"
                                + " the others");
                h5.putAttribute("classes", about.classes().toArray(String[]::new));
                h5.putAttribute("weights_md5", about.weightsMd5());
                h5.putAttribute("backend", about.backendName());
                h5.putAttribute("images", names.toArray(String[]::new));
                for (int i = 0; i < names.size(); i++) {
                    Entry e = explanations.get(i);
                    WritableDataset ds = h5.putDataset(names.get(i), rows(e));
                    ds.putAttribute("method", e.method().toString());
                    ds.putAttribute("class", e.explainedClass());
                    ds.putAttribute("predicted", e.predictedClass());
                    ds.putAttribute("probabilities", e.probabilities());
                    ds.putAttribute("source", e.name());
                }
            }
        });
    }

    private static float[][] rows(Entry e) {
        int s = e.mapSize();
        float[][] a = new float[s][s];
        for (int y = 0; y < s; y++) {
            System.arraycopy(e.map(), y * s, a[y], 0, s);
        }
        return a;
    }
}
