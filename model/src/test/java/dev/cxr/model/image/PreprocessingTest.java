package dev.cxr.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.testing.H5;
import dev.cxr.engine.testing.SharedReference;
import dev.cxr.model.testing.VggTestFiles;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two preprocessing modes, bit for bit as Keras computed the reference inputs. */
class PreprocessingTest {

    @Test
    void tutorialScalingIsTheCorrectlyRoundedQuotient() {
        // numpy computes float32(v / 255.0) in double; a float division gives the same 256 values,
        // a multiplication by 1/255f does not (1 ulp off for 126 of them)
        int differsFromMultiply = 0;
        for (int v = 0; v < 256; v++) {
            float[] dst = new float[3];
            Preprocessing.TUTORIAL.toChw(new RgbImage(1, 1, new byte[] {(byte) v, (byte) v, (byte) v}), dst, 0);
            assertEquals((float) (v / 255.0), dst[0], "v=" + v);
            differsFromMultiply += dst[0] != v * (1 / 255f) ? 1 : 0;
        }
        assertTrue(differsFromMultiply > 100, "the check must be able to tell division from multiplication");
    }

    @Test
    void layoutIsChwWithCaffeInBgrOrder() {
        // 2x1 image: pixel 0 = (R 10, G 20, B 30), pixel 1 = (R 200, G 100, B 0)
        RgbImage img = new RgbImage(2, 1, new byte[] {10, 20, 30, (byte) 200, 100, 0});
        float[] t = new float[1 + 6];
        Preprocessing.TUTORIAL.toChw(img, t, 1);
        assertEquals(10 / 255f, t[1]);
        assertEquals(200 / 255f, t[2]);
        assertEquals(20 / 255f, t[3]);
        assertEquals(0f, t[6]);
        float[] c = new float[6];
        Preprocessing.CAFFE.toChw(img, c, 0);
        assertEquals(30 - 103.939f, c[0], "plane 0 is blue minus the blue mean");
        assertEquals(0 - 103.939f, c[1]);
        assertEquals(20 - 116.779f, c[2]);
        assertEquals(10 - 123.68f, c[4], "plane 2 is red minus the red mean");
        assertEquals(200 - 123.68f, c[5]);
    }

    @Test
    void parseNamesBothModesAndRefusesOthers() {
        assertEquals(Preprocessing.CAFFE, Preprocessing.parse("caffe"));
        assertEquals(Preprocessing.TUTORIAL, Preprocessing.parse(" Tutorial "));
        CxrException e = assertThrows(CxrException.class, () -> Preprocessing.parse("imagenet"));
        assertTrue(e.getMessage().contains("caffe or tutorial"), e.getMessage());
    }

    @Test
    void matchesTheReferenceInputsExactly() {
        Optional<Path> file = SharedReference.file("vgg16-seed1-expected.h5");
        assumeTrue(file.isPresent(), SharedReference.ABSENT);
        int checked = 0;
        try (HdfFile h5 = new HdfFile(file.get())) {
            for (Node node : (Group) h5.getChild("resized_rgb_u8")) {
                String name = node.getName();
                RgbImage img = new RgbImage(224, 224, VggTestFiles.bytes(h5, "resized_rgb_u8/" + name));
                for (Preprocessing mode : Preprocessing.values()) {
                    float[] hwc = H5.floats(h5, mode + "/" + name + "/input");
                    float[] chw = new float[3 * 224 * 224];
                    mode.toChw(img, chw, 0);
                    for (int i = 0; i < 224 * 224; i++) {
                        for (int ch = 0; ch < 3; ch++) {
                            float want = hwc[i * 3 + ch];
                            float got = chw[ch * 224 * 224 + i];
                            if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) {
                                throw new AssertionError(mode + " " + name + " pixel " + i + " channel " + ch + ": "
                                        + got + " != " + want);
                            }
                        }
                    }
                    checked++;
                }
            }
        }
        assertEquals(12, checked, "6 images x 2 modes");
    }
}
