package dev.cxr.model.eval;

/**
 * One image's result: its path (relative to the dataset when there is one), its true class index
 * (-1 when unknown, as in predict), the predicted class index and the probability of each class.
 */
public record Prediction(String path, int label, int predicted, float[] probabilities) {}
