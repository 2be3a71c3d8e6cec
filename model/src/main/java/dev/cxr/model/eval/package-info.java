/**
 * Measuring a trained classifier: precision, recall, F1, the confusion matrix, accuracy,
 * sensitivity and specificity with Wilson intervals, ROC-AUC; the text and JSON reports; the
 * evaluate and predict commands' logic.
 */
package dev.cxr.model.eval;
