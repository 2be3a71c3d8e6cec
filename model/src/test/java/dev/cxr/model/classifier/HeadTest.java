package dev.cxr.model.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HeadTest {
    @Test
    void theHeadReadsFourOfSevenRows() {
        assertEquals(4, Head.featureRowsRead(7));
        assertEquals(4, Head.featureRowsRead(4));
        assertEquals(8, Head.featureRowsRead(8));
    }
}
