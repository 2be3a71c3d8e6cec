package dev.cxr.model.train;

import dev.cxr.engine.augment.RandomRotation;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.features.FeatureExtractor;
import dev.cxr.model.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Training batches with the tutorial's augmentation: the batch's images are preprocessed, each is
 * rotated by its own random angle (after scaling, as the tutorial's ImageDataGenerator saw /255
 * data), and the batch goes through the frozen base in inference mode, both through the
 * {@link FeatureExtractor}. The images were decoded and resized once; host buffers are reused from
 * batch to batch.
 */
public final class AugmentedFeatures implements FeatureSource {
    private final FeatureExtractor extractor;
    private final List<RgbImage> images;
    private final RandomRotation rotation;
    private final RandomGenerator random;
    private float[] plain;
    private float[] rotated;

    public AugmentedFeatures(
            FeatureExtractor extractor, List<RgbImage> images, RandomRotation rotation, RandomGenerator random) {
        this.extractor = extractor;
        this.images = List.copyOf(images);
        this.rotation = rotation;
        this.random = random;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public Tensor batch(int[] rows) {
        List<RgbImage> batch = new ArrayList<>(rows.length);
        for (int r : rows) {
            batch.add(images.get(r));
        }
        plain = extractor.preprocess(batch, plain);
        if (rotated == null || rotated.length != plain.length) {
            rotated = new float[plain.length];
        }
        int size = extractor.imageSize();
        rotation.apply(plain, rotated, rows.length, 3, size, size, random);
        return extractor.forward(rotated, rows.length);
    }
}
