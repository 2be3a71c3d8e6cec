package dev.cxr.engine.backend.cpu.fast;

import dev.cxr.engine.tensor.HeapStorage;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Convolution weights transformed for Winograd (U = G g G^T, packed for the GEMM), kept between
 * calls: a transform costs as much as a small layer, and a frozen network's weights never change.
 * An entry is keyed by the weights' storage (weakly, so it goes when the weights do) and remembers
 * the storage's {@link HeapStorage#version()} when it was made; any write to the weights through
 * any CPU backend (Parameter.set, an Adam step) changes that version, and the next lookup makes a
 * fresh entry. So stale transformed weights are never used.
 */
final class TransformedWeights {
    private record Entry(long version, Winograd variant, int k, int c, float[] transformed) {}

    private final Map<HeapStorage, Entry> entries = new WeakHashMap<>();

    /**
     * The kernel in {@code storage} transformed for {@code variant}: from the cache when the kernel
     * is unchanged since it was made, otherwise made by {@code transform} now and kept.
     */
    synchronized float[] transformed(HeapStorage storage, Winograd variant, int k, int c, Supplier<float[]> transform) {
        long version = storage.version();
        Entry e = entries.get(storage);
        if (e != null && e.version == version && e.variant == variant && e.k == k && e.c == c) {
            return e.transformed;
        }
        dropClosed();
        float[] t = transform.get();
        entries.put(storage, new Entry(version, variant, k, c, t));
        return t;
    }

    /** Entries made so far that are still held (for tests). */
    synchronized int size() {
        return entries.size();
    }

    synchronized void clear() {
        entries.clear();
    }

    private void dropClosed() {
        for (Iterator<HeapStorage> it = entries.keySet().iterator(); it.hasNext(); ) {
            if (it.next().capacity() == 0) {
                it.remove();
            }
        }
    }
}
