/**
 * The dataset: a folder with one sub-folder per class, scanned in sorted order; the stratified,
 * seeded train/test split (numpy/scikit-learn-exact); groups of images (patients) read from a groups
 * file, the grouped split and the stratified group k-fold that never put a group on both sides, and
 * the leakage check of a split that did. A {@link dev.cxr.model.data.Sample} is an image source, read
 * through {@link dev.cxr.model.features.InputImages} as every image is.
 */
package dev.cxr.model.data;
