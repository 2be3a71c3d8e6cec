package dev.cxr.model.image.dicom;

/** A run of bytes in the file's buffer: an element's value or one fragment of encapsulated pixel data. */
record Span(int offset, int length) {
    Span {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("span at " + offset + " of " + length + " bytes");
        }
    }
}
