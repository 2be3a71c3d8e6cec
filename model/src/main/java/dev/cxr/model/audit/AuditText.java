package dev.cxr.model.audit;

import dev.cxr.model.data.GroupLeakage;
import dev.cxr.model.eval.AucInterval;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.FoldSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code audit.txt}: the audit's findings for a person, short; audit.json has every number. */
final class AuditText {
    /** How many duplicates and leaked images are named before "... and N more". */
    private static final int LISTED = 10;

    private AuditText() {}

    static String of(AuditResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.title()).append('\n').append(r.disclaimer()).append("\n\n");
        sb.append("dataset: ").append(r.dataset()).append('\n');
        List<String> counts = new ArrayList<>();
        r.imagesPerClass().forEach((c, n) -> counts.add(c + " " + n));
        sb.append("images:  ")
                .append(r.images())
                .append(" (")
                .append(String.join(", ", counts))
                .append(')');
        sb.append(r.bad().isEmpty() ? "" : ", " + r.bad().size() + " could not be read")
                .append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "seed:    %d; groups: %s%n",
                r.settings().seed(),
                r.groups().used() ? r.groups().file() : "none given"));
        for (AuditResult.BadImage b : r.bad()) {
            sb.append("  skipped ")
                    .append(b.path())
                    .append(": ")
                    .append(b.reason())
                    .append('\n');
        }

        sb.append("\nper class (format, colour mode, size)\n");
        for (Map.Entry<String, ClassProfile> e : r.perClass().entrySet()) {
            ClassProfile p = e.getValue();
            sb.append(String.format(
                    Locale.ROOT,
                    "  %s: %d images; median %.0fx%.0f px, %.0f kB%n",
                    e.getKey(),
                    p.images(),
                    p.medianWidth(),
                    p.medianHeight(),
                    p.medianBytes() / 1000));
            sb.append("    format:  ").append(join(p.formats())).append('\n');
            sb.append("    colour:  ").append(join(p.colourModes())).append('\n');
            sb.append("    size:    ").append(join(p.sizeBands())).append('\n');
        }

        Duplicates d = r.duplicates();
        sb.append("\nduplicates (exact: same SHA-256; near: perceptual hashes within ")
                .append(d.maxDistance())
                .append(" of 63 bits)\n");
        if (d.exact().isEmpty() && d.near().isEmpty()) {
            sb.append("  none\n");
        }
        duplicates(sb, d, "  ");

        sb.append("\ngroups\n");
        if (!r.groups().used()) {
            sb.append("  none given: each image counts as its own patient (--groups FILE)\n");
        } else {
            GroupSummary g = r.groups();
            sb.append(String.format(
                    Locale.ROOT,
                    "  %d groups, %d of them with more than one image, the largest %d%n",
                    g.groups(),
                    g.withSeveralImages(),
                    g.largest()));
            if (g.inSeveralClasses() > 0) {
                sb.append("  ")
                        .append(g.inSeveralClasses())
                        .append(" group(s) in more than one class, with these images:\n");
                listed(sb, g.inSeveralClassesPaths(), "    ");
            }
        }

        for (SplitCheck s : r.splits()) {
            sb.append('\n').append(s.name()).append("\n  ").append(s.how()).append('\n');
            sb.append("  test images: ")
                    .append(s.testSizes().size() == 1 ? s.testSizes().get(0) : s.testSizes() + " per fold")
                    .append(" (")
                    .append(join(s.testPerClass()))
                    .append(")\n");
            GroupLeakage g = s.groupLeakage();
            if (g != null) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  sharing a group with training: %d of %d test images (%s)%n",
                        g.leakedImages(),
                        g.testImages(),
                        leakedPerClass(g)));
                listed(sb, g.leakedPaths(), "    ");
            }
            if (s.across().exact().isEmpty() && s.across().near().isEmpty()) {
                sb.append("  duplicates across train and test: none\n");
            } else {
                sb.append("  duplicates across train and test:\n");
                duplicates(sb, s.across(), "    ");
            }
        }

        sb.append("\nmetadata-only baseline\n");
        MetadataBaseline b = r.baseline();
        if (b == null) {
            sb.append("  ").append(r.baselineNote()).append('\n');
        } else {
            BinaryEvaluation e = b.crossValidated().pooled();
            sb.append("  ")
                    .append(b.model())
                    .append(";\n  features: ")
                    .append(String.join(", ", b.features()))
                    .append('\n');
            sb.append(String.format(
                    Locale.ROOT,
                    "  %d-fold cross-validation%s, seed %d; every image scored by the model"
                            + " that did not see it; positive class %s%n",
                    b.folds(),
                    b.grouped() ? ", grouped" : "",
                    b.seed(),
                    b.positiveClass()));
            sb.append("  ROC-AUC   ").append(auc(e.rocAuc())).append('\n');
            if (e.rocAucBootstrap() != null) {
                sb.append("            ").append(auc(e.rocAucBootstrap())).append('\n');
            }
            sb.append("  accuracy  ")
                    .append(DatasetAudit.wilsonText(e.accuracy()))
                    .append(" at 0.5\n");
            FoldSummary.OverFolds o = b.crossValidated().overFolds();
            sb.append(String.format(
                    Locale.ROOT, "  over folds: AUC %s, accuracy %s%n", meanSd(o.rocAuc()), meanSd(o.accuracy())));
            List<String> coef = new ArrayList<>();
            b.coefficients().forEach((k, v) -> {
                if (!k.equals("intercept") && Math.abs(v) >= 0.005) {
                    coef.add(String.format(Locale.ROOT, "%s %+.2f", k, v));
                }
            });
            sb.append("  standardised coefficients on all images (+ towards ")
                    .append(b.positiveClass())
                    .append("): ")
                    .append(String.join(", ", coef))
                    .append('\n');
        }

        sb.append("\nverdict: ").append(r.verdict()).append('\n');
        for (String f : r.findings()) {
            sb.append("  - ").append(f).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%ntime: %.1f s%n", r.seconds()));
        sb.append('\n').append(r.disclaimer()).append('\n');
        return sb.toString();
    }

    private static void duplicates(StringBuilder sb, Duplicates d, String indent) {
        int shown = 0;
        for (Duplicates.ExactDuplicate e : d.exact()) {
            if (shown++ < LISTED) {
                sb.append(indent)
                        .append("exact, ")
                        .append(e.kind())
                        .append(": ")
                        .append(String.join(" = ", e.paths()))
                        .append('\n');
            }
        }
        for (Duplicates.NearDuplicate n : d.near()) {
            if (shown++ < LISTED) {
                sb.append(indent)
                        .append("near (")
                        .append(n.distance())
                        .append(" bits), ")
                        .append(n.kind())
                        .append(": ")
                        .append(n.first())
                        .append(" ~ ")
                        .append(n.second())
                        .append('\n');
            }
        }
        if (shown > LISTED) {
            sb.append(indent).append("... and ").append(shown - LISTED).append(" more in audit.json\n");
        }
    }

    private static void listed(StringBuilder sb, List<String> paths, String indent) {
        for (int i = 0; i < Math.min(LISTED, paths.size()); i++) {
            sb.append(indent).append(paths.get(i)).append('\n');
        }
        if (paths.size() > LISTED) {
            sb.append(indent).append("... and ").append(paths.size() - LISTED).append(" more in audit.json\n");
        }
    }

    private static String leakedPerClass(GroupLeakage g) {
        List<String> parts = new ArrayList<>();
        g.leakedPerClass()
                .forEach((c, n) -> parts.add(n + " of " + g.testPerClass().get(c) + " " + c));
        return String.join(", ", parts);
    }

    private static String auc(AucInterval a) {
        if (Double.isNaN(a.auc())) {
            return "n/a (one class only)";
        }
        String method = a.method().startsWith("DeLong") ? "DeLong" : "seeded bootstrap";
        return String.format(
                Locale.ROOT,
                "%.4f  (95%% %.4f-%.4f, %s)%s",
                a.auc(),
                a.lower(),
                a.upper(),
                method,
                a.degenerate() ? ": no pair misordered, the interval shrinks to the point" : "");
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
