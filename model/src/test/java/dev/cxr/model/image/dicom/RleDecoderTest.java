package dev.cxr.model.image.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RLE Lossless: PackBits runs by hand, round trips through an encoder written here, and damaged data. */
class RleDecoderTest {
    @Test
    void packBitsLiteralsRepeatsAndNoOps() {
        byte[] seg = {2, 1, 2, 3, -3, 9, -128, 0, 7};
        assertArrayEquals(new byte[] {1, 2, 3, 9, 9, 9, 9, 7}, RleDecoder.unpack(seg, 0, seg.length, 8, 1));
        // output past the plane is dropped (encoders pad segments to even length)
        assertArrayEquals(new byte[] {1, 2, 3}, RleDecoder.unpack(seg, 0, seg.length, 3, 1));
        Refusal shortSegment = assertThrows(Refusal.class, () -> RleDecoder.unpack(seg, 0, seg.length, 9, 1));
        assertTrue(shortSegment.getMessage().contains("segment 1 decodes to 8 of 9 bytes"), shortSegment.getMessage());
        // a run of 128 from two bytes is the densest PackBits gets; a plane larger than 64x the segment is refused
        assertArrayEquals(filled(128, (byte) 5), RleDecoder.unpack(new byte[] {-127, 5}, 0, 2, 128, 1));
        Refusal tooFew = assertThrows(Refusal.class, () -> RleDecoder.unpack(new byte[] {-127, 5}, 0, 2, 129, 1));
        assertTrue(tooFew.getMessage().contains("too few for 129 pixels"), tooFew.getMessage());
    }

    private static byte[] filled(int n, byte v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, v);
        return b;
    }

    /** PackBits: runs of 3 or more equal bytes as repeats, the rest as literals of up to 128. */
    static byte[] pack(byte[] plane) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < plane.length) {
            int run = 1;
            while (i + run < plane.length && run < 128 && plane[i + run] == plane[i]) {
                run++;
            }
            if (run >= 3) {
                out.write(1 - run);
                out.write(plane[i]);
                i += run;
                continue;
            }
            int start = i;
            while (i < plane.length
                    && i - start < 128
                    && !(i + 2 < plane.length && plane[i] == plane[i + 1] && plane[i] == plane[i + 2])) {
                i++;
            }
            out.write(i - start - 1);
            out.write(plane, start, i - start);
        }
        if (out.size() % 2 == 1) {
            out.write(-128); // pad to even length with a no-op
        }
        return out.toByteArray();
    }

    /** An RLE frame: the 64-byte header, then the segments. */
    static byte[] frame(byte[]... planes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[][] segments = new byte[planes.length][];
        int offset = 64;
        byte[] header = new byte[64];
        header[0] = (byte) planes.length;
        for (int s = 0; s < planes.length; s++) {
            segments[s] = pack(planes[s]);
            for (int k = 0; k < 4; k++) {
                header[4 + 4 * s + k] = (byte) (offset >>> (8 * k));
            }
            offset += segments[s].length;
        }
        out.writeBytes(header);
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        return out.toByteArray();
    }

    /** Values with runs and noise, so both kinds of PackBits block occur. */
    static int[] values(int n, int bits, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 40 < 15 ? 1234 % (1 << bits) : r.nextInt(1 << bits);
        }
        return v;
    }

    @Test
    void sixteenBitsAreAHighAndALowPlane() {
        PixelModule pm = new PixelModule(7, 9, 1, 16, 16, false, "MONOCHROME2", 0, 1);
        int[] v = values(63, 16, 1);
        byte[] hi = new byte[63];
        byte[] lo = new byte[63];
        for (int i = 0; i < 63; i++) {
            hi[i] = (byte) (v[i] >>> 8);
            lo[i] = (byte) v[i];
        }
        assertArrayEquals(v, RleDecoder.decode(frame(hi, lo), pm));
    }

    @Test
    void colourIsThreePlanes() {
        PixelModule pm = new PixelModule(4, 5, 3, 8, 8, false, "RGB", 0, 1);
        int[] v = values(60, 8, 2);
        byte[][] planes = new byte[3][20];
        for (int i = 0; i < 20; i++) {
            for (int c = 0; c < 3; c++) {
                planes[c][i] = (byte) v[i * 3 + c];
            }
        }
        assertArrayEquals(v, RleDecoder.decode(frame(planes), pm));
    }

    @Test
    void damagedHeadersAreRefused() {
        PixelModule pm = new PixelModule(2, 2, 1, 8, 8, false, "MONOCHROME2", 0, 1);
        byte[] good = frame(new byte[] {1, 2, 3, 4});
        byte[] twoSegments = good.clone();
        twoSegments[0] = 2;
        assertTrue(assertThrows(Refusal.class, () -> RleDecoder.decode(twoSegments, pm))
                .getMessage()
                .contains("2 segments where 1 belong"));
        byte[] badOffset = good.clone();
        badOffset[4] = 60;
        assertTrue(assertThrows(Refusal.class, () -> RleDecoder.decode(badOffset, pm))
                .getMessage()
                .contains("starts at 60, not 64"));
        assertTrue(assertThrows(Refusal.class, () -> RleDecoder.decode(new byte[10], pm))
                .getMessage()
                .contains("shorter than the 64-byte header"));
        PixelModule sixteen = new PixelModule(2, 2, 1, 16, 16, false, "MONOCHROME2", 0, 1);
        byte[] outside = frame(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8});
        outside[8] = (byte) 0xF0; // the second segment's offset past the end
        assertTrue(assertThrows(Refusal.class, () -> RleDecoder.decode(outside, sixteen))
                .getMessage()
                .contains("segment 2 starts at 240, outside the"));
    }
}
