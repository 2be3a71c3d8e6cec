package dev.cxr.model.eval;

import java.util.List;

/**
 * What the tutorial printed and more, for predictions against true labels: per-class precision,
 * recall, F1 and support (scikit-learn's classification_report, with 0 where a denominator is 0),
 * the confusion matrix (rows true, columns predicted), accuracy, sensitivity (recall of the positive
 * class, the first: covid) and specificity (the others predicted as not positive), each with a 95%
 * Wilson interval, and ROC-AUC on the positive class's probability.
 */
public record ClassificationMetrics(
        List<String> classes,
        int[][] confusion,
        double[] precision,
        double[] recall,
        double[] f1,
        int[] support,
        Wilson accuracy,
        Wilson sensitivity,
        Wilson specificity,
        double rocAuc) {

    /** The class whose recall is the sensitivity: index 0 (covid sorts first), as the tutorial computed it. */
    public static final int POSITIVE = 0;

    /**
     * @param labels        true class of each image
     * @param probabilities class probabilities of each image, [n][classes]
     */
    public static ClassificationMetrics of(List<String> classes, int[] labels, float[][] probabilities) {
        int k = classes.size();
        int n = labels.length;
        if (probabilities.length != n) {
            throw new IllegalArgumentException(n + " labels but " + probabilities.length + " predictions");
        }
        int[][] cm = new int[k][k];
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = argmax(probabilities[i]);
            cm[labels[i]][predicted[i]]++;
        }
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        int[] support = new int[k];
        int correct = 0;
        for (int c = 0; c < k; c++) {
            int tp = cm[c][c];
            int predictedC = 0;
            for (int t = 0; t < k; t++) {
                predictedC += cm[t][c];
                support[c] += cm[c][t];
            }
            correct += tp;
            precision[c] = predictedC == 0 ? 0 : tp / (double) predictedC;
            recall[c] = support[c] == 0 ? 0 : tp / (double) support[c];
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        int negatives = n - support[POSITIVE];
        int trueNegatives = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                if (t != POSITIVE && p != POSITIVE) {
                    trueNegatives += cm[t][p];
                }
            }
        }
        double[] score = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            score[i] = probabilities[i][POSITIVE];
            positive[i] = labels[i] == POSITIVE;
        }
        return new ClassificationMetrics(
                List.copyOf(classes),
                cm,
                precision,
                recall,
                f1,
                support,
                Wilson.of(correct, n),
                Wilson.of(cm[POSITIVE][POSITIVE], support[POSITIVE]),
                Wilson.of(trueNegatives, negatives),
                rocAuc(score, positive));
    }

    /** The first index of the largest value (Keras's argmax on ties). */
    public static int argmax(float[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * Area under the ROC curve: the probability that a random positive scores above a random
     * negative, ties counting one half (the Mann-Whitney statistic). NaN when either side is empty.
     */
    public static double rocAuc(double[] score, boolean[] positive) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < score.length; i++) {
            if (!positive[i]) {
                continue;
            }
            for (int j = 0; j < score.length; j++) {
                if (positive[j]) {
                    continue;
                }
                pairs++;
                if (score[i] > score[j]) {
                    wins += 1;
                } else if (score[i] == score[j]) {
                    wins += 0.5;
                }
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    /** Unweighted mean over classes (scikit-learn's macro avg). */
    public static double macro(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Mean weighted by support (scikit-learn's weighted avg). */
    public double weighted(double[] v) {
        double s = 0;
        int total = 0;
        for (int c = 0; c < v.length; c++) {
            s += v[c] * support[c];
            total += support[c];
        }
        return total == 0 ? 0 : s / total;
    }
}
