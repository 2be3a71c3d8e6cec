/**
 * The dataset: a folder with one sub-folder per class, scanned in sorted order; the stratified,
 * seeded train/test split (numpy/scikit-learn-exact); decoding and resizing every image once.
 */
package dev.cxr.model.data;
