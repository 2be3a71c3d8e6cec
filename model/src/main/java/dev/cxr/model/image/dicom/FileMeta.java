package dev.cxr.model.image.dicom;

import java.nio.charset.StandardCharsets;

/**
 * The File Meta Information (group 0002) that may open a data set: always Explicit VR Little Endian
 * (some writers use Implicit VR, which is read too). Only the Transfer Syntax UID is kept. The group
 * is read element by element while the group number is 0002, not by its group length, which some
 * writers get wrong.
 *
 * @param transferSyntaxUid null when the group is absent or has none
 * @param dataSetOffset     where the data set starts
 */
record FileMeta(String transferSyntaxUid, int dataSetOffset) {
    private static final int TRANSFER_SYNTAX_ELEMENT = 0x0010;

    static FileMeta read(byte[] b, int p) {
        String uid = null;
        boolean explicit = DataSetParser.isVr(b, p + 4);
        while (b.length - p >= 8 && Bytes.u16(b, p, false) == 0x0002) {
            int element = Bytes.u16(b, p + 2, false);
            long length;
            int header;
            if (explicit && DataSetParser.isVr(b, p + 4)) {
                String vr = new String(b, p + 4, 2, StandardCharsets.US_ASCII);
                if (DataSetParser.isLongVr(vr)) {
                    if (b.length - p < 12) {
                        throw new Refusal("truncated DICOM file: the file ends inside the File Meta Information");
                    }
                    length = Bytes.u32(b, p + 8, false);
                    header = 12;
                } else {
                    length = Bytes.u16(b, p + 6, false);
                    header = 8;
                }
            } else {
                length = Bytes.u32(b, p + 4, false);
                header = 8;
            }
            if (length > b.length - p - header) {
                throw new Refusal(
                        "truncated DICOM file: the File Meta Information claims more bytes than the file has");
            }
            if (element == TRANSFER_SYNTAX_ELEMENT) {
                uid = trim(new String(b, p + header, (int) length, StandardCharsets.US_ASCII));
            }
            p += header + (int) length;
        }
        return new FileMeta(uid == null || uid.isEmpty() ? null : uid, p);
    }

    private static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end).trim();
    }
}
