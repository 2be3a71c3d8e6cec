package dev.cxr.model.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The two maps on a hand-checked example: 2 channels of 1x3, at an offset (the second image of a batch). */
class CamMapsTest {
    // A and dY/dA of image 1 of a batch (image 0 is six values of padding that must not be read)
    private static final float[] A = {9, 9, 9, 9, 9, 9, /* k=0 */ 1, 2, 3, /* k=1 */ 4, 0, 1};
    private static final float[] G = {9, 9, 9, 9, 9, 9, /* k=0 */ 2, -1, 0, /* k=1 */ -1, 5, 3};

    @Test
    void hiResCamIsTheGradientTimesTheActivationPositionByPosition() {
        // position 0: 2*1 + -1*4 = -2 -> 0; position 1: -1*2 + 5*0 = -2 -> 0; position 2: 0*3 + 3*1 = 3
        assertArrayEquals(new float[] {0, 0, 3}, CamMaps.hiResCam(A, G, 6, 2, 1, 3));
        assertArrayEquals(new float[] {0, 0, 3}, CamMaps.map(CamMethod.HIRESCAM, A, G, 6, 2, 1, 3));
    }

    @Test
    void gradCamWeighsEachChannelByItsMeanGradient() {
        double[] w = CamMaps.gradCamWeights(G, 6, 2, 1, 3);
        assertEquals(1.0 / 3, w[0], 1e-15, "(2 - 1 + 0) / 3");
        assertEquals(7.0 / 3, w[1], 1e-15, "(-1 + 5 + 3) / 3");
        // position 0: 1/3 + 4 * 7/3 = 29/3; position 1: 2/3; position 2: 3/3 + 7/3 = 10/3
        assertArrayEquals(
                new float[] {29f / 3, 2f / 3, 10f / 3}, CamMaps.map(CamMethod.GRADCAM, A, G, 6, 2, 1, 3), 1e-6f);
        // negative weights: the same activations against -G are cut to zero everywhere
        float[] minus = new float[G.length];
        for (int i = 0; i < G.length; i++) {
            minus[i] = -G[i];
        }
        assertArrayEquals(new float[] {0, 0, 0}, CamMaps.map(CamMethod.GRADCAM, A, minus, 6, 2, 1, 3));
    }

    @Test
    void methodsParseAsTheCommandLineWritesThem() {
        assertEquals(CamMethod.HIRESCAM, CamMethod.parse("hirescam"));
        assertEquals(CamMethod.GRADCAM, CamMethod.parse(" GradCAM "));
        assertEquals("gradcam", CamMethod.GRADCAM.toString());
        assertEquals("Grad-CAM", CamMethod.GRADCAM.title());
        assertEquals(
                "unknown method 'cam': use hirescam or gradcam",
                org.junit.jupiter.api.Assertions.assertThrows(
                                dev.cxr.engine.CxrException.class, () -> CamMethod.parse("cam"))
                        .getMessage());
    }
}
