package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JacksonTest {
    @TempDir
    Path tmp;

    @Test
    void recordsInSnakeCaseWithNonFiniteAsNull() throws Exception {
        List<Scored> s = RocAucTest.scored(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.3, 0.2});
        String json = Jackson.write(BinaryEvaluation.of(s, 1L));
        JsonNode root = Jackson.mapper().readTree(json);
        assertEquals(8.0 / 9, root.get("roc_auc").get("auc").asDouble(), 1e-15);
        assertTrue(root.get("roc_auc").get("method").asText().startsWith("DeLong"));
        assertTrue(root.get("roc_auc_bootstrap").get("method").asText().startsWith("bootstrap"));
        assertTrue(root.get("roc").get("points").get(0).get("threshold").isNull(), "the infinite threshold");
        assertEquals(0.9, root.get("roc").get("points").get(1).get("threshold").asDouble());
        assertTrue(
                root.get("calibration")
                        .get("bins")
                        .get(0)
                        .get("mean_probability")
                        .isNull(),
                "an empty bin's NaN");
        assertEquals(3, root.get("at_half").get("sensitivity").get("n").asInt());
        assertTrue(root.get("calibration").has("expected_calibration_error"));
        // components in declaration order
        List<String> names = new java.util.ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        assertEquals(
                List.of(
                        "images",
                        "positives",
                        "negatives",
                        "roc_auc",
                        "roc_auc_bootstrap",
                        "accuracy",
                        "at_half",
                        "youden",
                        "calibration",
                        "roc"),
                names);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.NEGATIVE_INFINITY);
        m.put("x", 0.25);
        Path f = tmp.resolve("m.json");
        Jackson.writeTo(f, m);
        JsonNode back = Jackson.mapper().readTree(Files.readString(f));
        assertTrue(back.get("nan").isNull());
        assertTrue(back.get("inf").isNull());
        assertEquals(0.25, back.get("x").asDouble());
    }
}
