package dev.cxr.model.audit;

import dev.cxr.engine.io.AtomicFiles;
import dev.cxr.model.eval.EvaluationPlots;
import dev.cxr.model.eval.Jackson;
import dev.cxr.model.eval.Report;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code cxr audit} found, as written to {@code audit.json} (Jackson, snake_case). Paths
 * are relative to the dataset; no pixel data, no metadata beyond the file's own properties.
 *
 * @param dataset        the dataset folder as given
 * @param images         image files found
 * @param bad            images that could not be used (the audit, like training, leaves them out)
 * @param perClass       per class: counts by format, colour mode and size band
 * @param baseline       the metadata-only classifier, or null when it could not be run ({@code baselineNote} says why)
 * @param splits         the splits checked (none without --test-split or --folds)
 * @param verdict        the one-line conclusion about the metadata baseline
 * @param findings       further plain-word lines: duplicates, leakage, what was not checked
 * @param facts          every usable image's properties and hashes
 * @param seconds        wall time of the audit (the one figure that changes from run to run)
 */
public record AuditResult(
        String title,
        String disclaimer,
        String dataset,
        List<String> classes,
        Map<String, Integer> imagesPerClass,
        int images,
        List<BadImage> bad,
        Settings settings,
        Map<String, ClassProfile> perClass,
        Duplicates duplicates,
        GroupSummary groups,
        MetadataBaseline baseline,
        String baselineNote,
        List<SplitCheck> splits,
        String verdict,
        List<String> findings,
        List<ImageFacts> facts,
        double seconds) {

    /** An image left out, named by its path relative to the dataset, and why. */
    public record BadImage(String path, String reason) {}

    /** How the audit was run. */
    public record Settings(
            long seed,
            Double testSplit,
            Integer folds,
            int baselineFolds,
            String groupsFile,
            String exactDuplicates,
            String nearDuplicates,
            int nearDistance,
            int colouredSpread,
            String aucInterval) {}

    /** The files {@link #writeTo} writes. */
    public static final List<String> FILES =
            List.of("audit.txt", "audit.json", "baseline-roc.png", "baseline-calibration.png");

    /** Writes audit.txt, audit.json and, when the baseline ran, its ROC curve and reliability diagram, each atomically. */
    public void writeTo(Path dir) {
        AtomicFiles.writeString(dir.resolve("audit.txt"), AuditText.of(this));
        Jackson.writeTo(dir.resolve("audit.json"), this);
        if (baseline != null) {
            EvaluationPlots.writeRoc(
                    dir.resolve("baseline-roc.png"),
                    baseline.crossValidated().pooled().roc(),
                    baseline.crossValidated().pooled().rocAuc(),
                    "File metadata only: ROC, out of fold");
            EvaluationPlots.writeCalibration(
                    dir.resolve("baseline-calibration.png"),
                    baseline.crossValidated().pooled().calibration(),
                    "File metadata only: reliability, out of fold");
        }
    }

    static String disclaimerLine() {
        return Report.DISCLAIMER;
    }
}
