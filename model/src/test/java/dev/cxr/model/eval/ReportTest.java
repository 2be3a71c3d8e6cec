package dev.cxr.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** report.json read back by Jackson: its fields in order, exact numbers, null for what JSON cannot hold. */
class ReportTest {
    @Test
    void jsonHoldsEveryFieldAndNullWhereThereIsNoNumber() throws Exception {
        List<String> classes = List.of("covid", "normal");
        // covid images only: no ROC-AUC (NaN), no specificity interval worth the name
        float[][] probs = {{0.9f, 0.1f}, {0.3f, 0.7f}};
        ClassificationMetrics m = ClassificationMetrics.of(classes, new int[] {0, 0}, probs);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", 42L);
        settings.put("weights md5", "abc");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("skipped", List.of("x.jpg: empty file (0 bytes), not an image"));
        Report r = Report.of(
                "test \"report\"",
                settings,
                m,
                List.of(new Prediction("covid/a.jpeg", 0, 0, probs[0]), new Prediction("b.jpeg", -1, 1, probs[1])),
                List.of("a note"),
                extra,
                7L);
        JsonNode json = Jackson.mapper().readTree(r.json());
        assertEquals(
                List.of(
                        "title",
                        "disclaimer",
                        "settings",
                        "classes",
                        "metrics",
                        "evaluation",
                        "notes",
                        "predictions",
                        "skipped"),
                names(json));
        assertEquals(1, json.get("evaluation").get("images").asInt(), "only the labelled prediction is evaluated");
        assertTrue(json.get("evaluation").get("roc_auc").get("auc").isNull(), "one class only: no AUC");
        assertEquals("a note", json.get("notes").get(0).asText());
        assertEquals("test \"report\"", json.get("title").asText());
        assertEquals(List.of("seed", "weights md5"), names(json.get("settings")), "map keys as they are, in order");
        assertEquals(42, json.get("settings").get("seed").asLong());
        JsonNode metrics = json.get("metrics");
        assertTrue(metrics.get("roc_auc").isNull(), "NaN is written as null");
        assertEquals(0.5, metrics.get("accuracy").get("value").asDouble());
        assertEquals(
                m.accuracy().lower(),
                metrics.get("accuracy").get("ci95_wilson").get(0).asDouble(),
                0);
        assertEquals("[[1,1],[0,0]]", metrics.get("confusion_matrix").toString());
        JsonNode second = json.get("predictions").get(1);
        assertTrue(second.get("true").isNull(), "no label");
        assertEquals("normal", second.get("predicted").asText());
        assertEquals((double) 0.7f, second.get("probabilities").get("normal").asDouble(), 0);
        assertEquals(
                "x.jpg: empty file (0 bytes), not an image",
                json.get("skipped").get(0).asText());
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
