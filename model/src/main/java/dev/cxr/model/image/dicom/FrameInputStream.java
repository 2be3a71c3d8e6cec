package dev.cxr.model.image.dicom;

import java.io.EOFException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO input stream over one frame's bytes whose single-byte {@link #read()} throws
 * {@link EOFException} at the end instead of returning -1. JJ2000, the JPEG 2000 decoder inside
 * jai-imageio, reads its codestream through a {@code RandomAccessIO} whose contract is that
 * exception; jai-imageio's adapter passes the -1 on, and on a damaged stream the packet-header bit
 * reader then takes it for 1 bits forever (the decoder never returns). With this stream it stops at
 * the end of the data.
 */
final class FrameInputStream extends ImageInputStreamImpl {
    private final byte[] data;

    FrameInputStream(byte[] data) {
        this.data = data;
    }

    @Override
    public int read() throws EOFException {
        bitOffset = 0;
        if (streamPos >= data.length) {
            throw new EOFException("the end of the frame's " + data.length + " bytes");
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IndexOutOfBoundsException("off " + off + ", len " + len + ", buffer " + b.length);
        }
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            return -1;
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }
}
