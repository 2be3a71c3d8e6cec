/** Weight initialisers (Keras's defaults), always from a caller-seeded generator. */
package dev.cxr.engine.init;
