package dev.cxr.model.audit;

import dev.cxr.model.data.StratifiedGroupKFold;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.FoldSummary;
import dev.cxr.model.eval.Scored;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How well the classes can be told apart from file properties that say nothing about the lungs:
 * the file format (one indicator per format present), a gray file (one stored channel), R = G = B in
 * every pixel, bits per sample, log width, log height, log aspect ratio, log file size and the share
 * of coloured pixels. A logistic regression ({@link LogisticRegression}, lambda = 1, features
 * standardised on each training fold; a constant feature is left out as 0) is cross-validated over
 * {@code k} stratified folds, grouped when groups are given, and every image's out-of-fold
 * probability of the positive class (the first, covid) is pooled into one evaluation: AUC with
 * DeLong's interval and a seeded bootstrap one, accuracy with a Wilson interval. A high AUC means
 * the classes come from different sources, and a classifier of the pixels can score as well without
 * looking at any disease.
 *
 * @param coefficients the standardised coefficients of a fit on all images: which properties carry
 *                     the signal (positive values point to the positive class)
 */
public record MetadataBaseline(
        String positiveClass,
        List<String> features,
        String model,
        int folds,
        boolean grouped,
        long seed,
        FoldSummary crossValidated,
        Map<String, Double> coefficients) {

    /** The L2 penalty: scikit-learn's default C = 1. */
    public static final double LAMBDA = 1.0;

    public static final String MODEL = "logistic regression, L2 penalty lambda = 1 (C = 1) on standardised features,"
            + " intercept not penalised, fitted exactly by Newton's method";

    /**
     * @param groups group of each image, or null to put every image in its own group
     * @param k      folds; must not exceed the number of groups
     */
    public static MetadataBaseline run(
            List<ImageFacts> images, List<String> classes, String[] groups, int k, long seed) {
        List<String> formats = new ArrayList<>(
                new TreeSet<>(images.stream().map(ImageFacts::format).toList()));
        List<String> names = new ArrayList<>();
        for (String f : formats) {
            names.add("format " + f);
        }
        names.addAll(List.of(
                "gray file (1 channel)",
                "R=G=B in every pixel",
                "bits per sample",
                "log width",
                "log height",
                "log aspect ratio (w/h)",
                "log file size",
                "share of coloured pixels"));
        double[][] raw = new double[images.size()][];
        boolean[] positive = new boolean[images.size()];
        int[] labels = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            raw[i] = features(images.get(i), formats);
            labels[i] = images.get(i).label();
            positive[i] = labels[i] == 0;
        }
        List<StratifiedSplit.Indices> splits = StratifiedGroupKFold.split(labels, classes, groups, k, seed);
        List<List<Scored>> folds = new ArrayList<>();
        for (StratifiedSplit.Indices s : splits) {
            Standardiser st = Standardiser.fit(raw, s.train());
            double[][] x = st.apply(raw, s.train());
            boolean[] y = pick(positive, s.train());
            List<Scored> out = new ArrayList<>();
            LogisticRegression model = bothClasses(y) ? LogisticRegression.fit(x, y, LAMBDA) : null;
            double prevalence = share(y);
            for (int i : s.test()) {
                double p = model == null ? prevalence : model.probability(st.apply(raw[i]));
                out.add(new Scored(positive[i], p));
            }
            folds.add(out);
        }
        int[] all = java.util.stream.IntStream.range(0, images.size()).toArray();
        Standardiser st = Standardiser.fit(raw, all);
        Map<String, Double> coefficients = new LinkedHashMap<>();
        if (bothClasses(positive)) {
            LogisticRegression full = LogisticRegression.fit(st.apply(raw, all), positive, LAMBDA);
            coefficients.put("intercept", full.intercept());
            for (int j = 0; j < names.size(); j++) {
                coefficients.put(names.get(j), full.weights()[j]);
            }
        }
        return new MetadataBaseline(
                classes.get(0), names, MODEL, k, groups != null, seed, FoldSummary.of(folds, seed), coefficients);
    }

    static double[] features(ImageFacts f, List<String> formats) {
        double[] v = new double[formats.size() + 8];
        int j = 0;
        for (String fmt : formats) {
            v[j++] = f.format().equals(fmt) ? 1 : 0;
        }
        v[j++] = f.channels() <= 2 ? 1 : 0;
        v[j++] = f.grayscale() ? 1 : 0;
        v[j++] = f.bitsPerSample();
        v[j++] = StrictMath.log(f.width());
        v[j++] = StrictMath.log(f.height());
        v[j++] = StrictMath.log(f.aspectRatio());
        v[j++] = StrictMath.log(f.bytes());
        v[j] = f.colouredShare();
        return v;
    }

    private static boolean bothClasses(boolean[] y) {
        double s = share(y);
        return s > 0 && s < 1;
    }

    private static double share(boolean[] y) {
        int k = 0;
        for (boolean b : y) {
            k += b ? 1 : 0;
        }
        return y.length == 0 ? 0 : k / (double) y.length;
    }

    private static boolean[] pick(boolean[] v, int[] idx) {
        boolean[] out = new boolean[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    /** Centres and scales each feature by its mean and standard deviation on the training rows. */
    record Standardiser(double[] mean, double[] sd) {
        static Standardiser fit(double[][] raw, int[] rows) {
            int d = raw[0].length;
            double[] mean = new double[d];
            double[] sd = new double[d];
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i : rows) {
                    s += raw[i][j];
                }
                mean[j] = s / rows.length;
                double ss = 0;
                for (int i : rows) {
                    ss += (raw[i][j] - mean[j]) * (raw[i][j] - mean[j]);
                }
                sd[j] = Math.sqrt(ss / rows.length);
            }
            return new Standardiser(mean, sd);
        }

        /** A constant feature (sd 0, or nearly: rounding) becomes 0, which the fit then ignores. */
        double[] apply(double[] row) {
            double[] out = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                out[j] = sd[j] > 1e-12 * Math.max(1, Math.abs(mean[j])) ? (row[j] - mean[j]) / sd[j] : 0;
            }
            return out;
        }

        double[][] apply(double[][] raw, int[] rows) {
            double[][] out = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                out[i] = apply(raw[rows[i]]);
            }
            return out;
        }
    }
}
