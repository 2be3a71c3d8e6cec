/** HDF5 I/O in the Keras weights layouts (legacy Keras 1 and Keras 2 files), read and written with jhdf. */
package dev.cxr.engine.io;
