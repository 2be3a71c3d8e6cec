/**
 * The COVID-19 classifier: the frozen VGG16 base, the tutorial's head on top of it, running both on
 * images, and the model file that holds the trained head in Keras's layout.
 */
package dev.cxr.model.classifier;
