package dev.cxr.model.explain;

import dev.cxr.engine.backend.Backend;
import dev.cxr.engine.layers.Layer;
import dev.cxr.engine.layers.Sequential;
import dev.cxr.engine.layers.Softmax;
import dev.cxr.engine.tensor.Shape;
import dev.cxr.engine.tensor.Tensor;
import dev.cxr.model.eval.ClassificationMetrics;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntBinaryOperator;

/**
 * A network cut at a target layer: the layers up to it run forward only (inference), and keep its
 * output A; the layers after it run forward to the pre-softmax logits and backward from one logit
 * per image, giving dY/dA. Nothing before the target is backpropagated through, so a frozen base
 * costs one forward pass. The layers after the target must be frozen (their parameter gradients
 * are not wanted, and backward would add into them).
 *
 * <p>For the tutorial's model: VGG16 up to block5_conv3, then block5_pool and the head without its
 * softmax ({@link Explainer}).
 */
public final class ActivationGradients {
    /** One batch's result, on the host, row-major. */
    public record Result(
            Shape shape,
            float[] activations,
            float[] gradients,
            float[] logits,
            float[] probabilities,
            int[] explained) {
        /** The images in the batch. */
        public int n() {
            return shape.n();
        }

        /** Where image {@code i}'s [C, H, W] starts in {@link #activations} and {@link #gradients}. */
        public int offset(int i) {
            return i * shape.sizePerItem();
        }
    }

    private final Backend backend;
    private final Layer toTarget;
    private final Layer toLogits;
    private final Softmax softmax;

    /**
     * @param toTarget images -> the target layer's output A (run with {@link Sequential#infer} when
     *                 it is a Sequential: conv and pool fused where the backend can)
     * @param toLogits A -> logits [N, classes], frozen
     * @param softmax  logits -> probabilities
     */
    public ActivationGradients(Backend backend, Layer toTarget, Layer toLogits, Softmax softmax) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.toTarget = Objects.requireNonNull(toTarget, "toTarget");
        this.toLogits = Objects.requireNonNull(toLogits, "toLogits");
        this.softmax = Objects.requireNonNull(softmax, "softmax");
        if (toLogits.parameters().stream().anyMatch(p -> p.trainable())) {
            throw new IllegalArgumentException(toLogits.name()
                    + ": freeze the layers after the target (backward would add" + " into their gradients)");
        }
    }

    /** The target's output shape for input images of shape {@code input}. */
    public Shape targetShape(Shape input) {
        return toTarget.outputShape(input);
    }

    /**
     * Forward, then backward from one logit per image.
     *
     * @param images    [N, 3, H, W] on this backend
     * @param chooseClass (image, predicted class) -> the class whose logit is explained
     */
    public Result run(Tensor images, IntBinaryOperator chooseClass) {
        Tensor a = toTarget instanceof Sequential s ? s.infer(images) : toTarget.forward(images, false);
        Tensor logits = toLogits.forward(a, false);
        Shape ls = logits.shape().requireRank(2);
        int n = ls.n();
        int k = ls.c();
        float[] logitValues = backend.download(logits);
        float[] probabilities = backend.download(softmax.forward(logits, false));
        int[] explained = new int[n];
        float[] oneHot = new float[n * k];
        for (int i = 0; i < n; i++) {
            int c = chooseClass.applyAsInt(
                    i, ClassificationMetrics.argmax(Arrays.copyOfRange(probabilities, i * k, (i + 1) * k)));
            if (c < 0 || c >= k) {
                throw new IllegalArgumentException(
                        "class " + c + " for image " + i + ": the network has " + k + " classes");
            }
            explained[i] = c;
            oneHot[i * k + c] = 1f;
        }
        // d(sum_i Y_i) / dA: each image's part depends on its own logit only
        float[] gradients;
        try (Tensor dy = backend.upload(ls, oneHot)) {
            gradients = backend.download(toLogits.backward(dy));
        }
        return new Result(a.shape(), backend.download(a), gradients, logitValues, probabilities, explained);
    }
}
