/** Data augmentation on float image tensors (random rotation, as Keras's ImageDataGenerator), seeded. */
package dev.cxr.engine.augment;
