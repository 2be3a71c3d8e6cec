package dev.cxr.model.explain;

import dev.cxr.model.image.RgbImage;
import java.util.List;

/**
 * One image explained: its class-activation map at the target layer, what the model predicted,
 * and the overlay a person looks at.
 *
 * @param name           the image source's name (its path as given)
 * @param method         how the map was made
 * @param classes        the model's class names, index = output unit
 * @param probabilities  the model's probabilities, one per class (the classifier's own values)
 * @param predicted      the index of the largest probability
 * @param explained      the index of the class whose logit the map explains
 * @param layer          the layer the map is at ({@code block5_conv3})
 * @param mapSize        the map's side S (14 for a 224x224 input)
 * @param rowsRead       the rows and columns 0..R-1 of the map that reach the head (8 of 14); the
 *                       score does not depend on the others
 * @param map            [S, S] row-major, row 0 at the top of the image, never negative
 * @param overlay        the X-ray with the map over it and the caption below
 * @param overlayPng     {@code overlay} as PNG bytes
 */
public record Explanation(
        String name,
        CamMethod method,
        List<String> classes,
        float[] probabilities,
        int predicted,
        int explained,
        String layer,
        int mapSize,
        int rowsRead,
        float[] map,
        RgbImage overlay,
        byte[] overlayPng) {
    public Explanation {
        classes = List.copyOf(classes);
        if (map.length != mapSize * mapSize) {
            throw new IllegalArgumentException(
                    "a " + mapSize + "x" + mapSize + " map needs " + mapSize * mapSize + " values, got " + map.length);
        }
    }

    public String predictedClass() {
        return classes.get(predicted);
    }

    public String explainedClass() {
        return classes.get(explained);
    }

    /** The map's value at row {@code y}, column {@code x}. */
    public float at(int y, int x) {
        return map[y * mapSize + x];
    }

    /** The map's largest value (0 when it is zero everywhere). */
    public float max() {
        float m = 0;
        for (float v : map) {
            m = Math.max(m, v);
        }
        return m;
    }
}
