package dev.cxr.model.audit;

import dev.cxr.engine.CxrException;
import dev.cxr.model.data.GroupLeakage;
import dev.cxr.model.data.GroupedSplit;
import dev.cxr.model.data.Groups;
import dev.cxr.model.data.ImageFolder;
import dev.cxr.model.data.Sample;
import dev.cxr.model.data.StratifiedGroupKFold;
import dev.cxr.model.data.StratifiedSplit;
import dev.cxr.model.eval.AucInterval;
import dev.cxr.model.eval.BinaryEvaluation;
import dev.cxr.model.eval.Report;
import dev.cxr.model.eval.Wilson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * {@code cxr audit}: looks at a class-folder dataset before anyone trains on it, offline. It reads
 * every image once (in parallel; the results keep the dataset's order, so they do not depend on the
 * scheduling) for its {@link ImageFacts}, then looks for exact and near duplicates, profiles each
 * class, cross-validates the {@link MetadataBaseline}, summarises the groups and checks the splits
 * asked for, and ends with a verdict in plain words. Everything is seeded: the same dataset and
 * settings give the same result, bit for bit, but for the time taken.
 */
public final class DatasetAudit {
    private DatasetAudit() {}

    /**
     * @param log receives progress lines and warnings (each bad image, by path)
     * @throws CxrException for a missing or empty dataset and a wrong groups file
     */
    public static AuditResult run(Path datasetDir, AuditConfig config, Consumer<String> log) {
        long start = System.nanoTime();
        ImageFolder folder = ImageFolder.scan(datasetDir);
        List<Sample> all = folder.samples();
        if (all.isEmpty()) {
            throw new CxrException("dataset folder " + datasetDir + " has no images in its class folders"
                    + " (images are .jpg, .jpeg, .png, .bmp, .tif)");
        }
        List<String> classes = folder.classes();
        Groups groupsAll = config.groupsFile() == null ? null : Groups.read(config.groupsFile(), all);
        log.accept("auditing " + all.size() + " images of " + classes.size() + " classes in " + datasetDir);

        Object[] read = new Object[all.size()];
        IntStream.range(0, all.size()).parallel().forEach(i -> {
            Sample s = all.get(i);
            try {
                read[i] = FileFacts.read(s, classes.get(s.label()));
            } catch (CxrException e) {
                read[i] = new AuditResult.BadImage(s.relativePath(), withoutPath(e.getMessage(), s));
            }
        });
        List<ImageFacts> facts = new ArrayList<>();
        List<Sample> usable = new ArrayList<>();
        List<AuditResult.BadImage> bad = new ArrayList<>();
        for (int i = 0; i < read.length; i++) {
            if (read[i] instanceof ImageFacts f) {
                facts.add(f);
                usable.add(all.get(i));
            } else {
                AuditResult.BadImage b = (AuditResult.BadImage) read[i];
                bad.add(b);
                log.accept("warning: skipping " + all.get(i).file() + ": " + b.reason());
            }
        }
        if (!bad.isEmpty()) {
            log.accept("warning: skipped " + bad.size() + " of " + all.size() + " images that could not be used");
        }
        Groups groups = groupsAll == null ? null : groupsAll.select(all, usable);

        Duplicates duplicates = Duplicates.find(facts, config.nearDistance());
        Map<String, ClassProfile> perClass = new LinkedHashMap<>();
        Map<String, Integer> perClassCount = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            final int cc = c;
            perClass.put(
                    classes.get(c),
                    ClassProfile.of(facts.stream().filter(f -> f.label() == cc).toList()));
            perClassCount.put(classes.get(c), (int)
                    all.stream().filter(s -> s.label() == cc).count());
        }
        int[] labels = usable.stream().mapToInt(Sample::label).toArray();
        String[] groupIds = groups == null ? null : groups.array();

        MetadataBaseline baseline = null;
        String baselineNote = null;
        int k = config.baselineFolds();
        int positives = (int) IntStream.of(labels).filter(y -> y == 0).count();
        int units = groups == null ? usable.size() : groups.count();
        if (classes.size() < 2) {
            baselineNote = "not run: the dataset has one class";
        } else if (positives < 2 || usable.size() - positives < 2) {
            baselineNote = "not run: it needs at least 2 usable images of '" + classes.get(0) + "' and 2 of the others";
        } else if (units < k) {
            baselineNote = "not run: " + k + " folds need at least " + k + (groups == null ? " images" : " groups")
                    + ", there are " + units;
        } else {
            log.accept("cross-validating the metadata-only baseline over " + k + " folds"
                    + (groups == null ? "" : ", grouped"));
            baseline = MetadataBaseline.run(facts, classes, groupIds, k, config.seed());
        }

        List<String> notes = new ArrayList<>();
        List<SplitCheck> splits = splitChecks(config, labels, classes, usable, groups, duplicates, notes);
        GroupSummary groupSummary = groupSummary(config, groups, usable);
        String verdict = verdict(baseline, baselineNote);
        List<String> findings = findings(duplicates, splits, groupSummary, config, bad, all.size());
        findings.addAll(notes);
        double seconds = (System.nanoTime() - start) / 1e9;
        AuditResult.Settings settings = new AuditResult.Settings(
                config.seed(),
                config.testSplit(),
                config.folds(),
                k,
                config.groupsFile() == null ? null : config.groupsFile().toString(),
                "SHA-256 of the file's bytes",
                "DCT perceptual hash of the decoded image (63 bits), Hamming distance at most " + config.nearDistance(),
                config.nearDistance(),
                FileFacts.COLOURED_SPREAD,
                "DeLong's (primary), with a seeded bootstrap beside it in audit.json");
        return new AuditResult(
                "cxr audit: " + datasetDir.getFileName() + " (" + all.size() + " images)",
                Report.DISCLAIMER,
                datasetDir.toString(),
                classes,
                perClassCount,
                all.size(),
                bad,
                settings,
                perClass,
                duplicates,
                groupSummary,
                baseline,
                baselineNote,
                splits,
                verdict,
                findings,
                facts,
                seconds);
    }

    /** The splits asked for; a grouped one the groups do not allow becomes a line in {@code notes} instead. */
    private static List<SplitCheck> splitChecks(
            AuditConfig config,
            int[] labels,
            List<String> classes,
            List<Sample> usable,
            Groups groups,
            Duplicates duplicates,
            List<String> notes) {
        List<SplitCheck> out = new ArrayList<>();
        long seed = config.seed();
        if (config.testSplit() != null) {
            double f = config.testSplit();
            StratifiedSplit.Indices plain = StratifiedSplit.split(labels, classes.size(), f, seed);
            out.add(check(
                    "cxr train's split without --groups",
                    String.format(
                            Locale.ROOT,
                            "stratified train/test split, test fraction %s, seed %d (scikit-learn's train_test_split, exactly)",
                            f,
                            seed),
                    false,
                    List.of(plain),
                    usable,
                    classes,
                    groups,
                    duplicates));
            if (groups != null) {
                String how = String.format(
                        Locale.ROOT, "grouped stratified train/test split, test fraction %s, seed %d", f, seed);
                try {
                    StratifiedSplit.Indices grouped = GroupedSplit.split(labels, classes, groups.array(), f, seed);
                    out.add(check(
                            "a split grouped by the groups file",
                            how,
                            true,
                            List.of(grouped),
                            usable,
                            classes,
                            groups,
                            duplicates));
                } catch (CxrException e) {
                    notes.add("no split grouped by the groups file could be made (" + how + "): " + e.getMessage());
                }
            }
        }
        if (config.folds() != null) {
            int k = config.folds();
            out.add(check(
                    k + " folds without groups",
                    String.format(
                            Locale.ROOT,
                            "stratified %d-fold cross-validation, each image its own group, seed %d",
                            k,
                            seed),
                    false,
                    StratifiedGroupKFold.split(labels, classes, null, k, seed),
                    usable,
                    classes,
                    groups,
                    duplicates));
            if (groups != null) {
                String how = String.format(Locale.ROOT, "stratified group %d-fold cross-validation, seed %d", k, seed);
                try {
                    out.add(check(
                            k + " folds grouped by the groups file",
                            how,
                            true,
                            StratifiedGroupKFold.split(labels, classes, groups.array(), k, seed),
                            usable,
                            classes,
                            groups,
                            duplicates));
                } catch (CxrException e) {
                    notes.add("no " + k + " folds grouped by the groups file could be made: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static SplitCheck check(
            String name,
            String how,
            boolean grouped,
            List<StratifiedSplit.Indices> splits,
            List<Sample> usable,
            List<String> classes,
            Groups groups,
            Duplicates duplicates) {
        Map<String, Integer> side = new HashMap<>();
        List<Integer> sizes = new ArrayList<>();
        Map<String, Integer> perClass = new LinkedHashMap<>();
        for (String c : classes) {
            perClass.put(c, 0);
        }
        boolean oneSplit = splits.size() == 1;
        for (int f = 0; f < splits.size(); f++) {
            StratifiedSplit.Indices s = splits.get(f);
            sizes.add(s.test().length);
            for (int i : s.test()) {
                side.put(usable.get(i).relativePath(), oneSplit ? 1 : f);
                perClass.merge(classes.get(usable.get(i).label()), 1, Integer::sum);
            }
            if (oneSplit) {
                for (int i : s.train()) {
                    side.put(usable.get(i).relativePath(), 0);
                }
            }
        }
        GroupLeakage leakage = groups == null ? null : GroupLeakage.ofFolds(splits, groups, usable, classes);
        return new SplitCheck(name, how, grouped, sizes, perClass, leakage, duplicates.across(side));
    }

    private static GroupSummary groupSummary(AuditConfig config, Groups groups, List<Sample> usable) {
        if (groups == null) {
            return new GroupSummary(false, null, 0, 0, 0, 0, List.of());
        }
        Map<String, Integer> sizes = groups.sizes();
        Map<String, Set<Integer>> classesOf = new TreeMap<>();
        for (int i = 0; i < usable.size(); i++) {
            classesOf
                    .computeIfAbsent(groups.of(i), g -> new TreeSet<>())
                    .add(usable.get(i).label());
        }
        Set<String> mixed = new TreeSet<>();
        classesOf.forEach((g, cls) -> {
            if (cls.size() > 1) {
                mixed.add(g);
            }
        });
        List<String> mixedPaths = IntStream.range(0, usable.size())
                .filter(i -> mixed.contains(groups.of(i)))
                .mapToObj(i -> usable.get(i).relativePath())
                .toList();
        return new GroupSummary(
                true,
                config.groupsFile().toString(),
                sizes.size(),
                (int) sizes.values().stream().filter(n -> n > 1).count(),
                sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                mixed.size(),
                mixedPaths);
    }

    /** The one line the audit ends with: what the metadata baseline says about the dataset. */
    static String verdict(MetadataBaseline baseline, String note) {
        if (baseline == null) {
            return "the metadata-only baseline was " + note + ", so whether file properties alone separate the classes"
                    + " is not known";
        }
        BinaryEvaluation e = baseline.crossValidated().pooled();
        AucInterval auc = e.rocAuc();
        double a = auc.auc();
        String figure = aucText(auc) + ", accuracy " + wilsonText(e.accuracy());
        if (a >= 0.8) {
            return "file metadata alone tells the classes apart with " + figure + ": the classes differ in source,"
                    + " so a model's accuracy on this dataset does not show that it sees disease";
        }
        if (a >= 0.65) {
            return "file metadata alone partly tells the classes apart, " + figure + ": part of a model's accuracy on"
                    + " this dataset may come from the images' sources rather than the lungs";
        }
        return "file metadata alone does not tell the classes apart (" + figure + "): no sign of a source shortcut"
                + " in the file properties (shortcuts inside the pixels, such as text, borders or age, are not tested)";
    }

    static String aucText(AucInterval auc) {
        if (Double.isNaN(auc.lower())) {
            return String.format(Locale.ROOT, "AUC %.2f", auc.auc());
        }
        if (auc.degenerate()) {
            return String.format(
                    Locale.ROOT,
                    "AUC %.2f (no pair of images misordered, so DeLong's interval shrinks to" + " the point)",
                    auc.auc());
        }
        return String.format(Locale.ROOT, "AUC %.2f (%.2f-%.2f, DeLong 95%%)", auc.auc(), auc.lower(), auc.upper());
    }

    static String wilsonText(Wilson w) {
        return String.format(
                Locale.ROOT,
                "%d/%d = %.2f (%.2f-%.2f, Wilson 95%%)",
                w.successes(),
                w.n(),
                w.estimate(),
                w.lower(),
                w.upper());
    }

    private static List<String> findings(
            Duplicates d,
            List<SplitCheck> splits,
            GroupSummary groups,
            AuditConfig config,
            List<AuditResult.BadImage> bad,
            int images) {
        List<String> out = new ArrayList<>();
        if (!bad.isEmpty()) {
            out.add(bad.size() + " of " + images + " images could not be read and were left out (listed above)");
        }
        long exactWithin = d.exactCount(Duplicates.WITHIN_CLASS);
        long exactAcross = d.exactCount(Duplicates.ACROSS_CLASSES);
        long nearWithin = d.nearCount(Duplicates.WITHIN_CLASS);
        long nearAcross = d.nearCount(Duplicates.ACROSS_CLASSES);
        if (exactWithin + exactAcross + nearWithin + nearAcross == 0) {
            out.add("no duplicates: no two files have the same bytes, and no two perceptual hashes are within "
                    + d.maxDistance() + " bits");
        } else {
            if (exactAcross + nearAcross > 0) {
                out.add(exactAcross + " exact and " + nearAcross + " near duplicate(s) across classes: the same picture"
                        + " carries two labels");
            }
            if (exactWithin + nearWithin > 0) {
                out.add(exactWithin + " set(s) of exact and " + nearWithin
                        + " pair(s) of near duplicates within a class:"
                        + " a split can put one copy in training and the other in the test");
            }
        }
        if (!groups.used()) {
            out.add("no groups file: whether test images share patients with training images was not checked"
                    + " (--groups FILE)");
        } else if (groups.inSeveralClasses() > 0) {
            out.add(groups.inSeveralClasses() + " group(s) have images in more than one class ("
                    + groups.inSeveralClassesPaths().size() + " images, listed above): one patient, two labels");
        }
        for (SplitCheck s : splits) {
            StringBuilder sb = new StringBuilder(s.name()).append(": ");
            if (s.groupLeakage() != null) {
                GroupLeakage g = s.groupLeakage();
                sb.append(g.leakedImages())
                        .append(" of its ")
                        .append(g.testImages())
                        .append(" test images share a group with")
                        .append(" training");
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, Integer> e : g.leakedPerClass().entrySet()) {
                    if (e.getValue() > 0) {
                        parts.add(e.getValue() + " of " + g.testPerClass().get(e.getKey()) + " " + e.getKey());
                    }
                }
                if (!parts.isEmpty()) {
                    sb.append(" (").append(String.join(", ", parts)).append(')');
                }
                sb.append("; ");
            }
            int copies = s.across().exact().size() + s.across().near().size();
            sb.append(
                    copies == 0
                            ? "no duplicate has a copy on the other side"
                            : copies + " duplicate(s) have a copy on the other side");
            out.add(sb.toString());
        }
        if (splits.isEmpty() && groups.used()) {
            out.add("no split checked: --test-split F or --folds K checks the split a training would use");
        }
        return out;
    }

    /** The reason without a leading "path: " (the path is given beside it). */
    private static String withoutPath(String message, Sample s) {
        String prefix = s.file() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
