/**
 * The cxr engine: tensors, backends (reference CPU, fast CPU, CUDA), layers with backprop, losses,
 * the Adam optimizer, augmentation and HDF5 I/O. It knows nothing of X-rays or the command line.
 */
package dev.cxr.engine;
