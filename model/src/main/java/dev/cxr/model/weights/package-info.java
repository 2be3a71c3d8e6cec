/**
 * The VGG16 ImageNet weights: where they live and checking them ({@link dev.cxr.model.weights.WeightsStore}),
 * the download ({@link dev.cxr.model.weights.WeightsDownload}), and loading them into the network
 * ({@link dev.cxr.model.weights.Vgg16Weights}).
 */
package dev.cxr.model.weights;
