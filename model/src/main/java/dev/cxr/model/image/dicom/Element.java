package dev.cxr.model.image.dicom;

import java.util.List;

/**
 * One parsed element: its tag, its VR ("" when the data set is Implicit VR and gives none), where its
 * value lies in the buffer, and, for a sequence, its items, or, for encapsulated pixel data, its
 * fragments (the first one being the Basic Offset Table).
 */
record Element(int tag, String vr, Span value, List<DataSet> items, boolean encapsulated, List<Span> fragments) {
    Element {
        items = List.copyOf(items);
        fragments = List.copyOf(fragments);
    }

    static Element value(int tag, String vr, Span value) {
        return new Element(tag, vr, value, List.of(), false, List.of());
    }

    static Element sequence(int tag, String vr, List<DataSet> items) {
        return new Element(tag, vr, new Span(0, 0), items, false, List.of());
    }

    static Element encapsulated(int tag, String vr, List<Span> fragments) {
        return new Element(tag, vr, new Span(0, 0), List.of(), true, fragments);
    }
}
