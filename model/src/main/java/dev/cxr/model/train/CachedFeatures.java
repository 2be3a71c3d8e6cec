package dev.cxr.model.train;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;

/**
 * Features computed once, held on the host, gathered per batch into a reused device tensor. Used
 * for the test split always, and for the training split when augmentation is off (then every
 * image goes through the base exactly once).
 */
public final class CachedFeatures implements FeatureSource {
    private final Backend backend;
    private final float[] features;
    private final Shape item;
    private final int count;
    private final int perItem;
    private float[] host;
    private Tensor batch;

    /**
     * @param features row-major [count, item...]
     * @param item     the shape of one row with a leading 1, e.g. (1, 512, 4, 4): the corner training computes
     */
    public CachedFeatures(Backend backend, float[] features, Shape item) {
        this.backend = backend;
        this.features = features;
        this.item = item;
        this.perItem = item.size();
        if (perItem == 0 || features.length % perItem != 0) {
            throw new IllegalArgumentException(features.length + " floats are not rows of " + item);
        }
        this.count = features.length / perItem;
    }

    @Override
    public int size() {
        return count;
    }

    /** All rows of one item's shape. */
    public Shape itemShape() {
        return item;
    }

    @Override
    public Tensor batch(int[] rows) {
        Shape shape = item.withBatch(rows.length);
        if (batch == null || !batch.shape().equals(shape)) {
            close();
            batch = backend.zeros(shape);
            host = new float[shape.size()];
        }
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * perItem, host, i * perItem, perItem);
        }
        try (Tensor t = backend.upload(shape, host)) {
            backend.copy(t, batch);
        }
        return batch;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }
}
