package dev.cxr.model.features;

import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.Vgg16;
import dev.cxr.model.image.Preprocessing;
import dev.cxr.model.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Image sources to the frozen base's features, on the base's backend: each image loaded by the
 * rules of {@link InputImages}, preprocessed into the network's [n, 3, S, S] layout, and run
 * through the base at most {@link #batchSize()} images per forward pass; the features come back to
 * the host as [N, C, h, w] row-major (7x7 for VGG16, 4x4 for the corner base). Training, the
 * classifier and {@code cxr features} all get their features here.
 *
 * @param imageSize the side images are resized to, 224 (at least the base's input; the corner base
 *                  reads the top-left of each)
 * @param batchSize images per forward pass
 */
public record FeatureExtractor(FrozenBase base, Preprocessing preprocessing, int imageSize, int batchSize) {
    /** Images per forward pass through the base: bounds the activations' memory (about 60 MB per image). */
    public static final int BATCH = 8;

    public FeatureExtractor {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (imageSize < base.inputSize()) {
            throw new IllegalArgumentException("images of " + imageSize + "x" + imageSize
                    + " are smaller than the base's input " + base.inputSize() + "x" + base.inputSize());
        }
    }

    /** VGG16's input size, {@link #BATCH} images per forward pass. */
    public FeatureExtractor(FrozenBase base, Preprocessing preprocessing) {
        this(base, preprocessing, Vgg16.INPUT_SIZE, BATCH);
    }

    /** The features' shape for {@code n} images, e.g. [n, 512, 7, 7]. */
    public Shape featureShape(int n) {
        return base.outputShape(n);
    }

    /** Every source as the network's input ({@link InputImages#loadAll} at this image size), in order. */
    public <S extends ImageSource> List<ImageResult<S, RgbImage>> load(List<S> sources) {
        return InputImages.loadAll(sources, imageSize);
    }

    /**
     * The features of every source, one result per source in order: each image's [C, h, w] floats,
     * or why it cannot be used. The sources go {@link #batchSize()} at a time: decoded in parallel,
     * then the usable ones of the batch through the base together.
     */
    public <S extends ImageSource> List<ImageResult<S, float[]>> extract(List<S> sources) {
        List<ImageResult<S, float[]>> out = new ArrayList<>(sources.size());
        int per = featureShape(1).size();
        for (int start = 0; start < sources.size(); start += batchSize) {
            List<ImageResult<S, RgbImage>> loaded =
                    load(sources.subList(start, Math.min(sources.size(), start + batchSize)));
            float[] f = features(ImageResult.values(loaded));
            int i = 0;
            for (ImageResult<S, RgbImage> l : loaded) {
                int at = l.ok() ? i++ : -1;
                out.add(l.map(img -> Arrays.copyOfRange(f, at * per, (at + 1) * per)));
            }
        }
        return out;
    }

    /**
     * The features of images already loaded ({@link #imageSize()} square), [N, C, h, w] row-major on
     * the host, computed {@link #batchSize()} images per forward pass.
     */
    public float[] features(List<RgbImage> images) {
        int perFeature = featureShape(1).size();
        float[] out = new float[images.size() * perFeature];
        float[] chw = null;
        for (int start = 0; start < images.size(); start += batchSize) {
            List<RgbImage> batch = images.subList(start, Math.min(images.size(), start + batchSize));
            chw = preprocess(batch, chw);
            float[] f = base.backend().download(forward(chw, batch.size()));
            System.arraycopy(f, 0, out, start * perFeature, f.length);
        }
        return out;
    }

    /**
     * The images preprocessed into the network's input [n, 3, S, S] (S = {@link #imageSize()}),
     * written into {@code dst} when it has that size, else into a new array.
     */
    public float[] preprocess(List<RgbImage> images, float[] dst) {
        int per = 3 * imageSize * imageSize;
        float[] chw = dst != null && dst.length == images.size() * per ? dst : new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width() != imageSize || img.height() != imageSize) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                        + ", expected " + imageSize + "x" + imageSize + " (load it through InputImages)");
            }
            preprocessing.toChw(img, chw, i * per);
        }
        return chw;
    }

    /**
     * The base's features of {@code n} preprocessed images [n, 3, S, S] on the host (what
     * {@link #preprocess} wrote, perhaps augmented since), owned by the base until its next call.
     */
    public Tensor forward(float[] chw, int n) {
        return base.forward(chw, n, imageSize);
    }
}
