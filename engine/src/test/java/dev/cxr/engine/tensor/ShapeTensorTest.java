package dev.cxr.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.engine.backend.cpu.ReferenceBackend;
import org.junit.jupiter.api.Test;

class ShapeTensorTest {
    @Test
    void shapeBasics() {
        Shape s = Shape.of(8, 512, 7, 7);
        assertEquals(8 * 512 * 49, s.size());
        assertEquals(512 * 49, s.sizePerItem());
        assertEquals(Shape.of(1, 512, 7, 7), s.withBatch(1));
        assertEquals("(8,512,7,7)", s.toString());
        assertEquals(7, s.dim(-1));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertThrows(
                IllegalArgumentException.class, () -> Shape.of(100000, 100000).size());
    }

    @Test
    void viewSharesMemoryAndCloseReleasesIt() {
        ReferenceBackend b = new ReferenceBackend();
        Tensor t = b.upload(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6});
        Tensor v = t.view(Shape.of(6));
        b.fill(v, 7f);
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, b.download(t));
        v.close();
        assertEquals(6, b.download(t).length, "closing a view leaves the owner's memory alone");
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.download(t));
        assertTrue(e.getMessage().contains("after close"));
        assertThrows(IllegalArgumentException.class, () -> b.upload(Shape.of(2), new float[3]));
    }
}
