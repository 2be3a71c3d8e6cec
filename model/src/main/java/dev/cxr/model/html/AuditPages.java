package dev.cxr.model.html;

import dev.cxr.model.audit.AuditResult;
import dev.cxr.model.audit.ClassProfile;
import dev.cxr.model.audit.Duplicates;
import dev.cxr.model.audit.GroupSummary;
import dev.cxr.model.audit.MetadataBaseline;
import dev.cxr.model.audit.SplitCheck;
import dev.cxr.model.data.GroupLeakage;
import dev.cxr.model.eval.AucInterval;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.FoldSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page of {@code cxr audit}: its verdict at the top, then the findings, each class's formats,
 * colour modes and sizes, the metadata-only baseline with its intervals and plots, the duplicates,
 * the groups and the splits checked, and the images that could not be read.
 */
public final class AuditPages {
    /** Duplicates listed on the page at most; all are in audit.json. */
    static final int LISTED = 100;

    private AuditPages() {}

    /** @param dir where the audit wrote its plots (baseline-roc.png, baseline-calibration.png) */
    public static Page of(AuditResult r, Path dir) {
        List<Page.Section> sections = new ArrayList<>();
        List<Page.Fact> facts = new ArrayList<>();
        facts.add(new Page.Fact("dataset", r.dataset()));
        List<String> counts = new ArrayList<>();
        r.imagesPerClass().forEach((c, n) -> counts.add(c + " " + n));
        facts.add(new Page.Fact(
                "images",
                r.images() + " (" + String.join(", ", counts) + ")"
                        + (r.bad().isEmpty() ? "" : ", " + r.bad().size() + " could not be read")));
        AuditResult.Settings s = r.settings();
        facts.add(new Page.Fact("groups", r.groups().used() ? r.groups().file() : "none given"));
        facts.add(new Page.Fact(
                "splits checked",
                s.testSplit() != null
                        ? "train/test, test fraction " + s.testSplit()
                        : s.folds() != null ? s.folds() + " folds" : "none (--test-split or --folds)"));
        facts.add(new Page.Fact("seed", String.valueOf(s.seed())));
        facts.add(new Page.Fact("exact duplicates", s.exactDuplicates()));
        facts.add(new Page.Fact("near duplicates", s.nearDuplicates()));
        facts.add(new Page.Fact("AUC interval", s.aucInterval()));
        facts.add(new Page.Fact("time", String.format(Locale.ROOT, "%.1f s", r.seconds())));
        sections.add(new Page.Section("dataset", "Dataset", List.of(new Page.Facts(facts))));
        sections.add(new Page.Section("findings", "Findings", List.of(new Page.Text(r.findings()))));

        List<List<String>> profile = new ArrayList<>();
        for (Map.Entry<String, ClassProfile> e : r.perClass().entrySet()) {
            ClassProfile p = e.getValue();
            profile.add(List.of(
                    e.getKey(),
                    String.valueOf(p.images()),
                    join(p.formats()),
                    join(p.colourModes()),
                    join(p.sizeBands()),
                    String.format(
                            Locale.ROOT,
                            "%.0f x %.0f px, %.0f kB",
                            p.medianWidth(),
                            p.medianHeight(),
                            p.medianBytes() / 1000)));
        }
        sections.add(Page.Section.of(
                "classes",
                "Per class",
                new Page.Table(
                        "How each class's images are stored",
                        List.of("class", "images", "format", "colour", "size (shorter side)", "median"),
                        profile,
                        true)));

        sections.add(new Page.Section("baseline", "Metadata-only baseline", baseline(r, dir)));
        sections.add(new Page.Section("duplicates", "Duplicates", duplicates(r.duplicates())));
        sections.add(new Page.Section("groups", "Groups", List.of(groups(r.groups()))));
        if (!r.splits().isEmpty()) {
            List<Page.Block> blocks = new ArrayList<>();
            for (SplitCheck c : r.splits()) {
                blocks.add(split(c));
            }
            sections.add(new Page.Section("splits", "Splits", blocks));
        }
        if (!r.bad().isEmpty()) {
            sections.add(Page.Section.of(
                    "skipped",
                    "Images not used",
                    new Page.Text(r.bad().stream()
                            .map(b -> b.path() + ": " + b.reason())
                            .toList())));
        }
        return new Page(r.title(), r.disclaimer(), "Verdict: " + r.verdict(), sections);
    }

    private static List<Page.Block> baseline(AuditResult r, Path dir) {
        MetadataBaseline b = r.baseline();
        if (b == null) {
            return List.of(Page.Text.of(r.baselineNote()));
        }
        BinaryEvaluation e = b.crossValidated().pooled();
        List<List<String>> rows = new ArrayList<>();
        rows.add(auc("ROC-AUC", e.rocAuc()));
        if (e.rocAucBootstrap() != null) {
            rows.add(auc("ROC-AUC", e.rocAucBootstrap()));
        }
        rows.add(List.of(
                "accuracy at 0.5",
                ReportPages.num(e.accuracy().estimate()),
                e.accuracy().successes() + "/" + e.accuracy().n(),
                String.format(
                        Locale.ROOT,
                        "%.4f-%.4f (Wilson)",
                        e.accuracy().lower(),
                        e.accuracy().upper())));
        FoldSummary.OverFolds o = b.crossValidated().overFolds();
        rows.add(List.of("ROC-AUC over folds", meanSd(o.rocAuc()), "", "mean +- sd"));
        rows.add(List.of("accuracy over folds", meanSd(o.accuracy()), "", "mean +- sd"));
        List<String> coef = new ArrayList<>();
        b.coefficients().forEach((k, v) -> {
            if (!k.equals("intercept") && Math.abs(v) >= 0.005) {
                coef.add(String.format(Locale.ROOT, "%s %+.2f", k, v));
            }
        });
        List<Page.Block> blocks = new ArrayList<>();
        blocks.add(Page.Text.of(String.format(
                Locale.ROOT,
                "A %s, on file properties that say nothing about the lungs: %s."
                        + " %d-fold cross-validation%s, seed %d; every image scored by the model that did not see it;"
                        + " positive class %s.",
                b.model(),
                String.join(", ", b.features()),
                b.folds(),
                b.grouped() ? ", grouped" : "",
                b.seed(),
                b.positiveClass())));
        blocks.add(new Page.Table(null, List.of("measure", "value", "images", "95% interval"), rows, true));
        blocks.add(Page.Text.of("Standardised coefficients on all images (+ towards " + b.positiveClass() + "): "
                + String.join(", ", coef) + "."));
        List<Page.Figure> figures = new ArrayList<>();
        for (String f : List.of("baseline-roc.png", "baseline-calibration.png")) {
            if (Files.isRegularFile(dir.resolve(f))) {
                figures.add(Pictures.png(
                        dir.resolve(f),
                        f.equals("baseline-roc.png")
                                ? "File metadata only: ROC of the out-of-fold probabilities (baseline-roc.png)"
                                : "File metadata only: reliability diagram (baseline-calibration.png)"));
            }
        }
        if (!figures.isEmpty()) {
            blocks.add(new Page.Figures(figures));
        }
        return blocks;
    }

    private static List<Page.Block> duplicates(Duplicates d) {
        String how =
                "Exact: the same bytes (SHA-256); near: perceptual hashes within " + d.maxDistance() + " of 63 bits.";
        if (d.exact().isEmpty() && d.near().isEmpty()) {
            return List.of(Page.Text.of(how + " None found."));
        }
        return List.of(Page.Text.of(how), duplicateTable(d, null));
    }

    private static Page.Table duplicateTable(Duplicates d, String caption) {
        List<List<String>> rows = new ArrayList<>();
        for (Duplicates.ExactDuplicate e : d.exact()) {
            rows.add(List.of("exact", e.kind(), String.join(" = ", e.paths())));
        }
        for (Duplicates.NearDuplicate n : d.near()) {
            rows.add(List.of("near (" + n.distance() + " bits)", n.kind(), n.first() + " ~ " + n.second()));
        }
        int total = rows.size();
        List<List<String>> shown = new ArrayList<>(rows.subList(0, Math.min(LISTED, total)));
        if (total > LISTED) {
            shown.add(List.of("...", "", (total - LISTED) + " more in audit.json"));
        }
        return new Page.Table(caption, List.of("copy", "kind", "images"), shown, false);
    }

    private static Page.Block groups(GroupSummary g) {
        if (!g.used()) {
            return Page.Text.of("None given: each image counts as its own patient (--groups FILE).");
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%s: %d groups, %d of them with more than one image, the largest %d.",
                g.file(),
                g.groups(),
                g.withSeveralImages(),
                g.largest()));
        if (g.inSeveralClasses() > 0) {
            lines.add(g.inSeveralClasses() + " group(s) in more than one class, with the images "
                    + String.join(", ", g.inSeveralClassesPaths()) + ".");
        }
        return new Page.Text(lines);
    }

    private static Page.Block split(SplitCheck c) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("how", c.how()));
        rows.add(List.of(
                "test images",
                (c.testSizes().size() == 1 ? String.valueOf(c.testSizes().get(0)) : c.testSizes() + " per fold") + " ("
                        + join(c.testPerClass()) + ")"));
        GroupLeakage g = c.groupLeakage();
        if (g != null) {
            rows.add(List.of(
                    "sharing a group with training",
                    g.leakedImages() + " of " + g.testImages() + " test images"
                            + (g.leakedPaths().isEmpty() ? "" : ": " + String.join(", ", g.leakedPaths()))));
        }
        int across = c.across().exact().size() + c.across().near().size();
        rows.add(List.of("duplicates across train and test", across == 0 ? "none" : String.valueOf(across)));
        return new Page.Table(c.name(), List.of(), rows, true);
    }

    private static List<String> auc(String name, AucInterval a) {
        String method = a.method().startsWith("DeLong") ? "DeLong" : "seeded bootstrap";
        return List.of(
                name,
                ReportPages.num(a.auc()),
                a.positives() + " + " + a.negatives(),
                Double.isNaN(a.lower())
                        ? "n/a"
                        : String.format(
                                Locale.ROOT,
                                "%.4f-%.4f (%s)%s",
                                a.lower(),
                                a.upper(),
                                method,
                                a.degenerate() ? "; no pair misordered, so the interval shrinks to the point" : ""));
    }

    private static String meanSd(FoldSummary.MeanSd m) {
        return m.n() == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f +- %.3f", m.mean(), m.sd());
    }

    private static String join(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(v + " " + k));
        return String.join("; ", parts);
    }
}
