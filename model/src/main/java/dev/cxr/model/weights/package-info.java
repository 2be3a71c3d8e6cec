/** The VGG16 ImageNet weights: where they live, fetching and verifying them, and loading them. */
package dev.cxr.model.weights;
