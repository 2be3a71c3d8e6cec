package dev.cxr.model.image.dicom;

/**
 * Why a DICOM file cannot be read, in words a user understands, without the file name: the reader
 * turns it into one {@link dev.cxr.engine.CxrException} line that names the file. Never leaves this
 * package.
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String reason) {
        super(reason, null, false, false);
    }
}
