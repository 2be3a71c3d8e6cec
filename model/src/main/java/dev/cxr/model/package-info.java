/** The COVID-19 detector on the engine: VGG16, its weights, images and the classification head. */
package dev.cxr.model;
