package dev.cxr.model.audit;

/**
 * L2-regularised logistic regression, fitted exactly by Newton's method in double precision: it
 * minimises {@code sum_i [log(1 + e^z_i) - y_i z_i] + lambda/2 |w|^2} with {@code z = b + x.w}, the
 * intercept b not penalised (scikit-learn's {@code LogisticRegression(C = 1/lambda)} minimises the
 * same). Each step solves the regularised Hessian by Cholesky and is halved until the objective does
 * not rise; it stops when no coefficient moves by more than {@value #TOLERANCE}. There is no
 * randomness, and exp and log come from {@link StrictMath}: the same data give the same coefficients,
 * bit for bit, on any JVM.
 *
 * @param intercept  b
 * @param weights    w, one per feature
 * @param iterations Newton steps taken
 */
public record LogisticRegression(double intercept, double[] weights, int iterations) {
    static final double TOLERANCE = 1e-10;
    static final int MAX_ITERATIONS = 100;

    /**
     * @param x      features, [n][d]
     * @param y      true for the class whose probability is modelled
     * @param lambda the L2 penalty, > 0 (it keeps separable data finite)
     * @throws IllegalArgumentException when only one class is present (the intercept would diverge)
     */
    public static LogisticRegression fit(double[][] x, boolean[] y, double lambda) {
        int n = x.length;
        if (n == 0 || y.length != n) {
            throw new IllegalArgumentException(
                    "need as many labels as rows, at least one: " + n + " rows, " + y.length + " labels");
        }
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda);
        }
        int ones = 0;
        for (boolean b : y) {
            ones += b ? 1 : 0;
        }
        if (ones == 0 || ones == n) {
            throw new IllegalArgumentException("logistic regression needs both classes, got " + ones + " of " + n);
        }
        int d = x[0].length;
        int p = d + 1; // coefficient 0 is the intercept
        double[] beta = new double[p];
        double loss = objective(x, y, beta, lambda);
        int it = 0;
        while (it < MAX_ITERATIONS) {
            it++;
            double[] grad = new double[p];
            double[][] hess = new double[p][p];
            for (int i = 0; i < n; i++) {
                double prob = sigmoid(z(x[i], beta));
                double r = prob - (y[i] ? 1 : 0);
                double wgt = prob * (1 - prob);
                for (int a = 0; a < p; a++) {
                    double xa = a == 0 ? 1 : x[i][a - 1];
                    grad[a] += r * xa;
                    for (int b = 0; b <= a; b++) {
                        double xb = b == 0 ? 1 : x[i][b - 1];
                        hess[a][b] += wgt * xa * xb;
                    }
                }
            }
            for (int a = 1; a < p; a++) {
                grad[a] += lambda * beta[a];
                hess[a][a] += lambda;
            }
            for (int a = 0; a < p; a++) {
                for (int b = a + 1; b < p; b++) {
                    hess[a][b] = hess[b][a];
                }
            }
            double[] step = solve(hess, grad);
            double scale = 1;
            double[] next = new double[p];
            double nextLoss;
            do {
                for (int a = 0; a < p; a++) {
                    next[a] = beta[a] - scale * step[a];
                }
                nextLoss = objective(x, y, next, lambda);
                scale /= 2;
            } while (nextLoss > loss && scale > 1e-12);
            double moved = 0;
            for (int a = 0; a < p; a++) {
                moved = Math.max(moved, Math.abs(next[a] - beta[a]));
            }
            beta = next;
            loss = nextLoss;
            if (moved <= TOLERANCE) {
                break;
            }
        }
        double[] w = new double[d];
        System.arraycopy(beta, 1, w, 0, d);
        return new LogisticRegression(beta[0], w, it);
    }

    /** The modelled class's probability for one row. */
    public double probability(double[] row) {
        double z = intercept;
        for (int j = 0; j < weights.length; j++) {
            z += weights[j] * row[j];
        }
        return sigmoid(z);
    }

    private static double z(double[] row, double[] beta) {
        double z = beta[0];
        for (int j = 0; j < row.length; j++) {
            z += beta[j + 1] * row[j];
        }
        return z;
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + StrictMath.exp(-z));
        }
        double e = StrictMath.exp(z);
        return e / (1 + e);
    }

    /** The penalised negative log-likelihood. */
    static double objective(double[][] x, boolean[] y, double[] beta, double lambda) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double z = z(x[i], beta);
            double softplus = z > 0
                    ? z + StrictMath.log1p(StrictMath.exp(-z))
                    : StrictMath.log1p(StrictMath.exp(z)); // log(1 + e^z)
            s += softplus - (y[i] ? z : 0);
        }
        for (int a = 1; a < beta.length; a++) {
            s += lambda / 2 * beta[a] * beta[a];
        }
        return s;
    }

    /** Solves A v = b for a symmetric positive definite A by Cholesky, A = L L^T. */
    static double[] solve(double[][] a, double[] b) {
        int p = b.length;
        double[][] l = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("the Hessian is not positive definite (pivot " + s + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        double[] v = new double[p];
        for (int i = 0; i < p; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * v[k];
            }
            v[i] = s / l[i][i];
        }
        for (int i = p - 1; i >= 0; i--) {
            double s = v[i];
            for (int k = i + 1; k < p; k++) {
                s -= l[k][i] * v[k];
            }
            v[i] = s / l[i][i];
        }
        return v;
    }
}
