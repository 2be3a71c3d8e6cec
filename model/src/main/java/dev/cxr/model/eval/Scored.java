package dev.cxr.model.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * One image's outcome for the binary metrics: whether it truly belongs to the positive class (covid,
 * class index {@link ClassificationMetrics#POSITIVE}) and the probability the classifier gave that
 * class. Every metric of {@link BinaryEvaluation} takes a list of these, so out-of-fold predictions
 * of several models are measured as one set.
 */
public record Scored(boolean positive, double probability) {
    public Scored {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("a probability must be in [0, 1], got " + probability);
        }
    }

    /**
     * @param labels        the true class index of each image
     * @param probabilities each image's class probabilities, [n][classes]
     */
    public static List<Scored> of(int[] labels, float[][] probabilities) {
        if (labels.length != probabilities.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + probabilities.length + " predictions");
        }
        List<Scored> out = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            out.add(new Scored(
                    labels[i] == ClassificationMetrics.POSITIVE, probabilities[i][ClassificationMetrics.POSITIVE]));
        }
        return out;
    }

    /** The labelled predictions of a report; a prediction without a true class (label -1) is refused. */
    public static List<Scored> of(List<Prediction> predictions) {
        List<Scored> out = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            if (p.label() < 0) {
                throw new IllegalArgumentException(p.path() + " has no true class: it cannot be scored");
            }
            out.add(new Scored(
                    p.label() == ClassificationMetrics.POSITIVE, p.probabilities()[ClassificationMetrics.POSITIVE]));
        }
        return out;
    }

    static int positives(List<Scored> scored) {
        int m = 0;
        for (Scored s : scored) {
            if (s.positive()) {
                m++;
            }
        }
        return m;
    }
}
