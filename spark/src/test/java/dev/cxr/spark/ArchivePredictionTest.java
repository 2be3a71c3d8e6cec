package dev.cxr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How the driver cuts an archive into tasks, without Spark. */
class ArchivePredictionTest {
    @Test
    void tasksAreOnePerFilesPerTaskButAtLeastOnePerSlotWhileFilesLast() {
        assertEquals(10_000, ArchivePrediction.tasks(10_000_000, 1000, 64), "a large archive: by count");
        assertEquals(11, ArchivePrediction.tasks(10_001, 1000, 4), "the last task takes the remainder");
        assertEquals(8, ArchivePrediction.tasks(50, 1000, 8), "a small archive: every slot gets files");
        assertEquals(3, ArchivePrediction.tasks(3, 1000, 8), "never a task without a file");
        assertEquals(1, ArchivePrediction.tasks(1, 1000, 0), "no slots known yet: one task");
        assertEquals(Integer.MAX_VALUE, ArchivePrediction.tasks(Integer.MAX_VALUE, 1, 2), "no overflow");
    }
}
