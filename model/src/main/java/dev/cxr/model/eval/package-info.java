/**
 * Measuring a trained classifier: precision, recall, F1, the confusion matrix, accuracy,
 * sensitivity and specificity with Wilson intervals, ROC-AUC; the text and JSON reports; the
 * evaluate and predict commands' logic. For (true class, probability) pairs ({@link
 * dev.cxr.model.eval.Scored}): ROC-AUC with DeLong's and a seeded bootstrap interval, the ROC curve,
 * calibration (Brier score, ECE, the bin table), operating points at 0.5 and at Youden's threshold,
 * cross-validation summaries, their plots, and {@link dev.cxr.model.eval.Jackson} to write them as JSON.
 */
package dev.cxr.model.eval;
