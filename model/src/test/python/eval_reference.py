"""Prints the scikit-learn values that the Java tests of the evaluation, the folds and the metadata
baseline hard-code (RocAucTest, CalibrationTest, StratifiedGroupKFoldTest, LogisticRegressionTest).
Run from the repository root with scikit-learn >= 1.8 (the StratifiedGroupKFold shuffle fix):

    python3 model/src/test/python/eval_reference.py

The Java tests do not need Python; this script is how their constants were made (scikit-learn
1.9.1, numpy 2.4.6)."""
import csv

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedGroupKFold

print("scikit-learn", sklearn.__version__, "numpy", np.__version__)


def delong(pos, neg):
    """DeLong's AUC and standard error from the pairwise definition (m x n kernel)."""
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    auc = v10.mean()
    return auc, np.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg))


# AUC: the hand case, and a case with many ties
pos = [0.9, 0.8, 0.7, 0.55, 0.4]
neg = [0.6, 0.4, 0.3, 0.2, 0.1]
y = [1] * 5 + [0] * 5
print("hand auc", roc_auc_score(y, pos + neg), "delong", delong(pos, neg))
fpr, tpr, thr = roc_curve(y, pos + neg, drop_intermediate=False)
print("roc fpr", list(fpr), "tpr", list(tpr), "thr", list(thr))
rng = np.random.RandomState(7)
tp = np.round(rng.beta(3, 2, 40), 1)
tn = np.round(rng.beta(2, 3, 30), 1)
print("ties pos", list(tp), "neg", list(tn))
print("ties auc %.17g delong se %.17g" % (roc_auc_score([1] * 40 + [0] * 30, np.r_[tp, tn]), delong(tp, tn)[1]))

# calibration: 10 uniform bins, edges to the upper bin, 1.0 to the last
p = np.array([0.05, 0.1, 0.15, 0.3, 0.5, 0.55, 0.95, 1.0, 0.7, 0.72])
t = np.array([0, 0, 1, 0, 1, 0, 1, 1, 1, 0])
prob_true, prob_pred = calibration_curve(t, p, n_bins=10, strategy="uniform")
print("calibration prob_true", list(prob_true), "prob_pred", list(prob_pred))
print("brier %.17g" % brier_score_loss(t, p))

# stratified group k-fold on a small grouped set, 3 folds, three seeds
labels = [0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1]
groups = ["a", "a", "a", "b", "b", "c", "d", "d", "e", "f", "g", "g", "h", "h", "h", "i", "j", "k", "l", "l"]
for seed in (0, 1, 42):
    fold = [-1] * len(labels)
    cv = StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed)
    for f, (_, test) in enumerate(cv.split(np.zeros(len(labels)), labels, groups)):
        for i in test:
            fold[i] = f
    print("sgkf seed", seed, fold)

# the bundled dataset's groups file, 5 folds, seed 42 (rows in sorted path order, as cxr scans them)
rows = sorted((r for r in csv.reader(l for l in open("data/covid-xray-50/groups.csv") if not l.startswith("#"))
               if r[0] != "file"), key=lambda r: r[0])
bl = [0 if r[0].startswith("covid/") else 1 for r in rows]
bg = [r[1] for r in rows]
fold = [-1] * len(rows)
for f, (_, test) in enumerate(StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=42).split(np.zeros(len(bl)), bl, bg)):
    for i in test:
        fold[i] = f
print("bundled 5 folds seed 42", fold)

# L2 logistic regression, C = 1, intercept not penalised, converged tightly
X = np.array([[0.5, 1.2], [1.5, -0.3], [-0.7, 0.8], [2.2, 1.9], [0.1, -1.4], [-1.3, -0.2],
              [1.1, 0.4], [-0.4, 2.1], [0.9, -0.9], [-2.0, 0.3], [1.8, 0.6], [0.0, 0.0]])
yl = np.array([1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0])
m = LogisticRegression(C=1.0, tol=1e-14, max_iter=100000, solver="newton-cholesky").fit(X, yl)
print("logreg intercept %.17g coef %.17g %.17g" % (m.intercept_[0], m.coef_[0][0], m.coef_[0][1]))
