/**
 * Training the head on the frozen base, as the tutorial did: the configuration, the batches (cached
 * features, or augmented images through the base), the epoch loop with Adam and binary
 * cross-entropy, progress, and the run that writes the model, history, plot and reports.
 */
package dev.cxr.model.train;
