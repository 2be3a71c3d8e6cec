/**
 * One way from an image to the network's features, for every command: where images come from
 * ({@link dev.cxr.model.features.ImageSource}: files, or bytes with a name), the rules they meet and
 * their resize ({@link dev.cxr.model.features.InputImages}), what became of each one
 * ({@link dev.cxr.model.features.ImageResult}: its value, or its one-line reason), the frozen VGG16
 * base ({@link dev.cxr.model.features.FrozenBase}) and, through it, batched features on any backend
 * ({@link dev.cxr.model.features.FeatureExtractor}). Training, evaluation, prediction, the audit,
 * {@code cxr features} and {@code cxr view} read images here, so they read them the same way.
 */
package dev.cxr.model.features;
