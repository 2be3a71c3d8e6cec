package dev.cxr.model.train;

/**
 * One epoch's numbers, as Keras's History records them: the mean training loss and accuracy over the
 * epoch's batches (weighted by batch size), and the loss and accuracy on the test split after the
 * epoch. {@code learningRate} is the rate the epoch's last step used.
 */
public record EpochMetrics(
        int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double learningRate) {}
