/**
 * {@code cxr audit}: what a dataset shows before anyone trains on it. File facts and hashes of every
 * image, exact and near duplicates (label conflicts, copies across a split), per-class profiles of
 * format, colour and size, a cross-validated classifier of file metadata alone (a source shortcut
 * made visible), group leakage of the splits, and a verdict in plain words.
 */
package dev.cxr.model.audit;
