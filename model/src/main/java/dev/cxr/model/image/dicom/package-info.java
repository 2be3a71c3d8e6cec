/**
 * A reader of single-frame DICOM images (Part 10 files, with or without preamble and File Meta) and
 * the display pipeline that turns their stored values into the 8-bit picture a radiology viewer
 * shows: Modality rescale, VOI (LUT, window or min-max), MONOCHROME1 inversion. The data set is
 * parsed here; compressed frames go to ImageIO decoders (TwelveMonkeys for JPEG, jai-imageio for
 * JPEG 2000) except RLE, which is decoded here. Anything it cannot read is refused with one line.
 *
 * <p>No patient data leaves a file through this package: only pixel-module attributes are kept, and
 * the Patient ID only as a SHA-256 prefix.
 */
package dev.cxr.model.image.dicom;
