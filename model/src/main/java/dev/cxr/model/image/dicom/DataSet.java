package dev.cxr.model.image.dicom;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed data set (or sequence item): its public elements by tag, over the buffer they were read
 * from. Private elements are not kept. Values are read on demand in the data set's byte order, and a
 * value too short or not a number is refused naming the attribute, never its content.
 */
final class DataSet {
    private final byte[] buffer;
    private final boolean bigEndian;
    private final Map<Integer, Element> elements = new LinkedHashMap<>();
    private boolean endsInsidePixelData;

    DataSet(byte[] buffer, boolean bigEndian) {
        this.buffer = buffer;
        this.bigEndian = bigEndian;
    }

    void put(Element e) {
        elements.put(e.tag(), e);
    }

    /** Marks that the file ended inside this data set's Pixel Data (the value holds what there was). */
    void markEndsInsidePixelData() {
        endsInsidePixelData = true;
    }

    boolean endsInsidePixelData() {
        return endsInsidePixelData;
    }

    byte[] buffer() {
        return buffer;
    }

    boolean bigEndian() {
        return bigEndian;
    }

    boolean has(int tag) {
        return elements.containsKey(tag);
    }

    Element element(int tag) {
        return elements.get(tag);
    }

    /** The items of a sequence; empty when it is absent or empty. */
    List<DataSet> items(int tag) {
        Element e = elements.get(tag);
        return e == null ? List.of() : e.items();
    }

    /** A text value (UI, CS, DS, IS) without its padding (trailing spaces and NULs, leading spaces); null when absent. */
    String text(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        String s = new String(buffer, e.value().offset(), e.value().length(), StandardCharsets.US_ASCII);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        return s.substring(start, end);
    }

    /** The first value of a US attribute, or {@code absent} when the element is missing or empty. */
    int uint16(int tag, int absent) {
        Element e = elements.get(tag);
        if (e == null || e.value().length() == 0) {
            return absent;
        }
        if (e.value().length() < 2) {
            throw new Refusal(
                    "damaged " + Tags.name(tag) + ": " + e.value().length() + " byte where a 16-bit number belongs");
        }
        return Bytes.u16(buffer, e.value().offset(), bigEndian);
    }

    /** Every 16-bit value of a US, SS or OW attribute, unsigned; null when absent. */
    int[] uint16s(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        int n = e.value().length() / 2;
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = Bytes.u16(buffer, e.value().offset() + 2 * i, bigEndian);
        }
        return v;
    }

    /** The raw bytes of a value; null when absent. */
    byte[] bytes(int tag) {
        Element e = elements.get(tag);
        if (e == null) {
            return null;
        }
        byte[] v = new byte[e.value().length()];
        System.arraycopy(buffer, e.value().offset(), v, 0, v.length);
        return v;
    }

    /** The values of a DS (decimal string) attribute; null when absent or empty. */
    double[] decimals(int tag) {
        String s = text(tag);
        if (s == null || s.isEmpty()) {
            return null;
        }
        String[] parts = s.split("\\\\");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = number(tag, parts[i].trim());
        }
        return v;
    }

    /** The first value of an IS (integer string) attribute, or {@code absent} when missing or empty. */
    int integer(int tag, int absent) {
        String s = text(tag);
        if (s == null || s.isEmpty()) {
            return absent;
        }
        String first = s.split("\\\\")[0].trim();
        try {
            return Integer.parseInt(first.startsWith("+") ? first.substring(1) : first);
        } catch (NumberFormatException e) {
            throw new Refusal("damaged " + Tags.name(tag) + ": not an integer");
        }
    }

    private static double number(int tag, String s) {
        // DS is [+-]digits[.digits][e[+-]digits]: Java's parser also takes "NaN", "Infinity" and hex, refused here
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new Refusal("damaged " + Tags.name(tag) + ": not a decimal number");
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new Refusal("damaged " + Tags.name(tag) + ": out of range");
        }
        return v;
    }
}
