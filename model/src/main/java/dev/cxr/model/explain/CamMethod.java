package dev.cxr.model.explain;

import dev.cxr.engine.CxrException;
import java.util.Locale;

/**
 * How a class-activation map is made from a layer's activations A [C, H, W] and the gradient
 * dY/dA of one class's pre-softmax logit Y. Both are computed by {@link CamMaps}.
 */
public enum CamMethod {
    /**
     * Draelos and Carin (2020): ReLU(sum_k dY/dA_k * A_k), position by position. It shows only what
     * the score depends on: where the gradient is zero, so is the map.
     */
    HIRESCAM("HiResCAM"),
    /**
     * Selvaraju et al. (2017): one weight per channel, the gradient averaged over all positions, then
     * ReLU(sum_k w_k A_k). The weights are global, so heat appears wherever a channel is active,
     * whether the score depends on that position or not.
     */
    GRADCAM("Grad-CAM");

    private final String title;

    CamMethod(String title) {
        this.title = title;
    }

    /** The method's name as its paper writes it, for captions. */
    public String title() {
        return title;
    }

    public static CamMethod parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CxrException("unknown method '" + text + "': use hirescam or gradcam");
        }
    }

    /** The command line's word for it: {@code hirescam}, {@code gradcam}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
