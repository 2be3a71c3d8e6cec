package dev.cxr.model.train;

import dev.cxr.engine.augment.RandomRotation;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.classifier.FrozenBase;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Training batches with the tutorial's augmentation: each image of the batch is preprocessed,
 * rotated by its own random angle (after scaling, as the tutorial's ImageDataGenerator saw /255
 * data), and the batch goes through the frozen base in inference mode. The images were decoded and
 * resized once; host buffers are reused from batch to batch.
 */
public final class AugmentedFeatures implements FeatureSource {
    private final FrozenBase base;
    private final List<RgbImage> images;
    private final Preprocessing preprocessing;
    private final RandomRotation rotation;
    private final RandomGenerator random;
    private final int size;
    private float[] plain;
    private float[] rotated;

    public AugmentedFeatures(FrozenBase base, List<RgbImage> images, Preprocessing preprocessing,
                             RandomRotation rotation, RandomGenerator random) {
        this.base = base;
        this.images = List.copyOf(images);
        this.preprocessing = preprocessing;
        this.rotation = rotation;
        this.random = random;
        this.size = images.isEmpty() ? 0 : images.get(0).width();
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public Tensor batch(int[] rows) {
        int per = 3 * size * size;
        int n = rows.length;
        if (plain == null || plain.length != n * per) {
            plain = new float[n * per];
            rotated = new float[n * per];
        }
        for (int i = 0; i < n; i++) {
            preprocessing.toChw(images.get(rows[i]), plain, i * per);
        }
        rotation.apply(plain, rotated, n, 3, size, size, random);
        return base.forward(rotated, n, size);
    }
}
