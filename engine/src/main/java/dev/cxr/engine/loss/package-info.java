/** Losses on output probabilities: the tutorial's binary cross-entropy and categorical cross-entropy. */
package dev.cxr.engine.loss;
