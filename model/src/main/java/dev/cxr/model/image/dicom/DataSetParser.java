package dev.cxr.model.image.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a data set from a buffer: explicit or implicit VR, either byte order; sequences and items
 * of defined and undefined length (an explicit UN of undefined length holds Implicit VR Little
 * Endian, PS3.5 6.2.2); encapsulated pixel data as its fragments. Private elements are parsed past
 * and dropped. At the top level it stops after Pixel Data (7FE0,0010): what follows is padding or
 * signatures.
 *
 * <p>Nothing here allocates by a length read from the file: every length is checked against the
 * bytes left in its enclosing element before use, and every loop step consumes at least 8 bytes, so
 * any byte sequence ends in a data set or a {@link Refusal}.
 */
final class DataSetParser {
    /** Sequences nest a few levels in real files; 16 bounds the recursion on a hostile one. */
    static final int MAX_DEPTH = 16;

    private static final long UNDEFINED = 0xFFFF_FFFFL;
    /** VRs whose explicit header has 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
    private static final Set<String> LONG_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    private static final Set<String> SHORT_VRS = Set.of(
            "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM",
            "UI", "UL", "US");

    private final byte[] b;
    private final boolean explicitVr;
    private final boolean bigEndian;

    private DataSetParser(byte[] b, boolean explicitVr, boolean bigEndian) {
        this.b = b;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
    }

    /** The top-level data set in {@code b[from, to)}. */
    static DataSet parse(byte[] b, int from, int to, boolean explicitVr, boolean bigEndian) {
        DataSet ds = new DataSet(b, bigEndian);
        new DataSetParser(b, explicitVr, bigEndian).elements(ds, from, to, false, 0, true);
        return ds;
    }

    /** Whether two bytes are a VR of the explicit encoding. */
    static boolean isVr(byte[] b, int i) {
        if (i + 2 > b.length) {
            return false;
        }
        String vr = vrAt(b, i);
        return LONG_VRS.contains(vr) || SHORT_VRS.contains(vr);
    }

    /** Whether an explicit VR has the long header form (2 reserved bytes, 32-bit length). */
    static boolean isLongVr(String vr) {
        return LONG_VRS.contains(vr);
    }

    private static String vrAt(byte[] b, int i) {
        return new String(new char[] {(char) (b[i] & 0xFF), (char) (b[i + 1] & 0xFF)});
    }

    /**
     * Reads elements from {@code p} to {@code end}, or up to an item delimiter when {@code delimited};
     * returns the position after them. At the top level, returns right after Pixel Data.
     */
    private int elements(DataSet ds, int p, int end, boolean delimited, int depth, boolean top) {
        if (depth > MAX_DEPTH) {
            throw new Refusal("damaged DICOM data set: sequences nested deeper than " + MAX_DEPTH + " levels");
        }
        while (true) {
            if (p == end) {
                if (delimited) {
                    throw new Refusal("truncated DICOM file: the file ends inside a sequence item");
                }
                return p;
            }
            if (end - p < 8) {
                throw new Refusal(
                        "truncated DICOM file: the file ends inside an element header (" + (end - p) + " bytes left)");
            }
            int tag = Bytes.tag(b, p, bigEndian);
            if (tag == Tags.ITEM_DELIMITATION) {
                if (!delimited) {
                    throw new Refusal("damaged DICOM data set: an item delimiter outside an item");
                }
                return p + 8;
            }
            if ((tag >>> 16) == 0xFFFE) {
                throw new Refusal("damaged DICOM data set: " + Tags.format(tag) + " where an element belongs");
            }
            String vr;
            long length;
            int header;
            if (explicitVr) {
                if (!isVr(b, p + 4)) {
                    throw new Refusal("damaged DICOM data set: element " + Tags.format(tag) + " has no valid VR");
                }
                vr = vrAt(b, p + 4);
                if (LONG_VRS.contains(vr)) {
                    if (end - p < 12) {
                        throw new Refusal("truncated DICOM file: the file ends inside the header of " + Tags.name(tag));
                    }
                    length = Bytes.u32(b, p + 8, bigEndian);
                    header = 12;
                } else {
                    length = Bytes.u16(b, p + 6, bigEndian);
                    header = 8;
                }
            } else {
                vr = "";
                length = Bytes.u32(b, p + 4, bigEndian);
                header = 8;
            }
            p += header;
            boolean keep = !Tags.isPrivate(tag);
            if (length == UNDEFINED) {
                if (tag == Tags.PIXEL_DATA || vr.equals("OB") || vr.equals("OW")) {
                    // encapsulated pixel data, at the top or in an icon image; an OB/OW of undefined length
                    // elsewhere (a vendor's private data) has the same item structure
                    boolean pixels = top && tag == Tags.PIXEL_DATA;
                    p = fragments(ds, tag, vr, p, end, pixels, keep);
                    if (pixels) {
                        return p;
                    }
                    continue;
                }
                if (!(vr.isEmpty() || vr.equals("SQ") || vr.equals("UN"))) {
                    throw new Refusal(
                            "damaged DICOM data set: " + Tags.name(tag) + " has undefined length but VR " + vr);
                }
                DataSetParser inner = vr.equals("UN") ? new DataSetParser(b, false, false) : this;
                List<DataSet> items = new ArrayList<>();
                p = inner.items(items, tag, p, end, true, depth);
                if (keep) {
                    ds.put(Element.sequence(tag, vr, items));
                }
                continue;
            }
            if (length > end - p) {
                if (top && tag == Tags.PIXEL_DATA) {
                    ds.put(Element.value(tag, vr, new Span(p, end - p)));
                    ds.markEndsInsidePixelData();
                    return end;
                }
                throw new Refusal("truncated DICOM file: " + Tags.name(tag) + " claims " + length + " bytes, "
                        + (end - p) + " are left in the file");
            }
            int valueEnd = p + (int) length;
            if (keep) {
                if (vr.equals("SQ") || (vr.isEmpty() && Tags.isKnownSequence(tag))) {
                    List<DataSet> items = new ArrayList<>();
                    items(items, tag, p, valueEnd, false, depth);
                    ds.put(Element.sequence(tag, vr, items));
                } else {
                    ds.put(Element.value(tag, vr, new Span(p, (int) length)));
                }
            }
            p = valueEnd;
            if (top && tag == Tags.PIXEL_DATA) {
                return p;
            }
        }
    }

    /** Reads the items of a sequence into {@code items}; returns the position after the sequence. */
    private int items(List<DataSet> items, int seqTag, int p, int end, boolean delimited, int depth) {
        while (true) {
            if (p == end) {
                if (delimited) {
                    throw new Refusal("truncated DICOM file: the file ends inside " + Tags.name(seqTag));
                }
                return p;
            }
            if (end - p < 8) {
                throw new Refusal("truncated DICOM file: the file ends inside an item header of " + Tags.name(seqTag));
            }
            int tag = Bytes.tag(b, p, bigEndian);
            long length = Bytes.u32(b, p + 4, bigEndian);
            p += 8;
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                if (!delimited) {
                    throw new Refusal("damaged DICOM data set: a sequence delimiter inside " + Tags.name(seqTag)
                            + " of defined length");
                }
                return p;
            }
            if (tag != Tags.ITEM) {
                throw new Refusal("damaged DICOM data set: " + Tags.name(seqTag) + " holds " + Tags.format(tag)
                        + " where an item belongs");
            }
            DataSet item = new DataSet(b, bigEndian);
            if (length == UNDEFINED) {
                p = elements(item, p, end, true, depth + 1, false);
            } else {
                if (length > end - p) {
                    throw new Refusal("truncated DICOM file: an item of " + Tags.name(seqTag) + " claims " + length
                            + " bytes, " + (end - p) + " are left");
                }
                elements(item, p, p + (int) length, false, depth + 1, false);
                p += (int) length;
            }
            items.add(item);
        }
    }

    /**
     * Reads encapsulated pixel data: items up to the sequence delimiter, the first being the Basic
     * Offset Table. At the top level a file that ends inside them is marked, not refused, so that the
     * checks run in their order; deeper, it is refused.
     */
    private int fragments(DataSet ds, int tag, String vr, int p, int end, boolean top, boolean keep) {
        List<Span> fragments = new ArrayList<>();
        while (true) {
            if (end - p < 8) {
                break;
            }
            int item = Bytes.tag(b, p, bigEndian);
            long length = Bytes.u32(b, p + 4, bigEndian);
            p += 8;
            if (item == Tags.SEQUENCE_DELIMITATION) {
                if (keep) {
                    ds.put(Element.encapsulated(tag, vr, fragments));
                }
                return p;
            }
            if (item != Tags.ITEM || length == UNDEFINED) {
                throw new Refusal("damaged DICOM encapsulated pixel data: " + Tags.format(item)
                        + (item == Tags.ITEM ? " of undefined length" : "") + " where a fragment belongs");
            }
            if (length > end - p) {
                break;
            }
            fragments.add(new Span(p, (int) length));
            p += (int) length;
        }
        if (!top) {
            throw new Refusal("truncated DICOM file: the file ends inside encapsulated " + Tags.name(tag));
        }
        ds.put(Element.encapsulated(tag, vr, fragments));
        ds.markEndsInsidePixelData();
        return end;
    }
}
