/**
 * One way from an image to the network: where images come from ({@link dev.cxr.model.features.ImageSource},
 * files or bytes) and the rules they meet before the network sees them, with their resize
 * ({@link dev.cxr.model.features.InputImages}). Training, evaluation, prediction, the audit and
 * {@code cxr view} all read images here, so they read them the same way.
 */
package dev.cxr.model.features;
