/**
 * The COVID-19 classifier: the tutorial's head on the frozen base's features, running both on
 * images, and the model file that holds the trained head in Keras's layout.
 */
package dev.cxr.model.classifier;
