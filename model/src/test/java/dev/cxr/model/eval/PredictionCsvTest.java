package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * predict's CSV gives back every file name exactly, whatever it holds (newline, comma, quote,
 * spaces at the ends), to a CSV reader that follows RFC 4180; the reader here is written from the
 * RFC, independently of the writer (Python's csv module reads the same text the same way).
 */
class PredictionCsvTest {
    /** RFC 4180: fields split by commas, records by CRLF or LF; a quoted field may hold anything, "" is a quote. */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        return records;
    }

    @Test
    void everyFileNameRoundTrips() {
        List<String> names = List.of(
                "/data/plain.png",
                "/data/a,b.png",
                "/data/say \"hi\".png",
                "/data/two\nlines.png",
                "/data/cr\r\nlf.png",
                " /data/leading-space.png",
                "/data/tab\there.png",
                "/data/ünïcødé.png");
        List<Predictor.Row> rows = new ArrayList<>();
        for (String n : names) {
            rows.add(new Predictor.Row(n, "covid", new float[] {0.75f, 0.25f}, null));
        }
        rows.add(new Predictor.Row("/data/bad,\n\"file\".png", null, null, "cannot read: a, \"b\"\nc"));
        List<List<String>> parsed = parse(Predictor.csv(List.of("covid", "normal"), rows));
        assertEquals(List.of("path", "predicted", "p_covid", "p_normal", "error"), parsed.get(0));
        assertEquals(names.size() + 2, parsed.size());
        for (int i = 0; i < names.size(); i++) {
            assertEquals(List.of(names.get(i), "covid", "0.750000", "0.250000", ""), parsed.get(i + 1), names.get(i));
        }
        assertEquals(
                List.of("/data/bad,\n\"file\".png", "", "", "", "cannot read: a, \"b\"\nc"),
                parsed.get(names.size() + 1));
    }
}
