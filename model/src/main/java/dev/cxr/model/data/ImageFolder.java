package dev.cxr.model.data;

import dev.cxr.engine.CxrException;
import dev.cxr.model.image.dicom.DicomReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A dataset folder as the tutorial lays it out: one sub-folder per class, named after the class,
 * holding the images directly. Class names are sorted (the tutorial's covid = 0, normal = 1), and so
 * are the files within each class, so the sample list is the sorted list of {@code class/file} paths
 * that the reference split was made from. Images are recognised by extension (what imutils'
 * {@code list_images} takes, and {@code .dcm}) or, for any other name, by DICOM content (PACS exports
 * name files {@code IM0001} or by UID); hidden files and anything else are ignored.
 */
public record ImageFolder(Path root, List<String> classes, List<Sample> samples) {

    /** File extensions taken as images, lower case. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "dcm");

    public ImageFolder {
        classes = List.copyOf(classes);
        samples = List.copyOf(samples);
    }

    /**
     * Lists the class folders of {@code root} and their images, sorted.
     *
     * @throws CxrException when the folder is missing, unreadable, or holds no class folder
     */
    public static ImageFolder scan(Path root) {
        return scan(root, warning -> {});
    }

    /**
     * {@link #scan(Path)}, telling {@code warnings} of every entry of a class folder that is left out
     * though it might have been meant as an image ({@link #skipReason}).
     */
    public static ImageFolder scan(Path root, Consumer<String> warnings) {
        if (!Files.exists(root)) {
            throw new CxrException("dataset folder " + root + " not found (expected one sub-folder per class,"
                    + " e.g. covid/ and normal/)");
        }
        if (!Files.isDirectory(root)) {
            throw new CxrException("dataset " + root + " is a file, not a folder with one sub-folder per class");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory)
                    .filter(p -> !hidden(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new CxrException("cannot list dataset folder " + root + " (" + e.getMessage() + ")", e);
        }
        if (classDirs.isEmpty()) {
            throw new CxrException("dataset folder " + root + " has no class sub-folders: put each class's images"
                    + " in a sub-folder named after it (e.g. covid/ and normal/)");
        }
        List<String> classes = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Path dir : classDirs) {
            String name = dir.getFileName().toString();
            int label = classes.size();
            classes.add(name);
            for (Path f : images(dir, warnings)) {
                samples.add(new Sample(f, name + "/" + f.getFileName(), label));
            }
        }
        return new ImageFolder(root, classes, samples);
    }

    /** The image files directly in {@code dir}, sorted by name. */
    public static List<Path> images(Path dir) {
        return images(dir, warning -> {});
    }

    /**
     * The image files directly in {@code dir}, sorted by name; each entry left out for what it is
     * (a FIFO, a broken or looping link, a folder with an image's name) is named in a warning.
     * Sub-folders of other names and files of other names are not images and pass in silence.
     */
    public static List<Path> images(Path dir, Consumer<String> warnings) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.filter(p -> !hidden(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new CxrException("cannot list folder " + dir + " (" + e.getMessage() + ")", e);
        }
        List<Path> out = new ArrayList<>();
        for (Path p : entries) {
            String why = skipReason(p);
            if (why == null) {
                if (isImageFile(p)) {
                    out.add(p);
                }
            } else if (!why.equals(FOLDER) || isImageName(p)) {
                warnings.accept("warning: skipping " + p + ": " + why);
            }
        }
        return out;
    }

    private static final String FOLDER = "a folder, not an image file";

    /**
     * Why {@code p} cannot be read as a file, or null when it is a regular file (through links):
     * a folder, a broken link, a loop of links, a FIFO, socket or device.
     */
    public static String skipReason(Path p) {
        if (Files.isRegularFile(p)) {
            return null;
        }
        if (Files.isDirectory(p)) {
            return Files.isSymbolicLink(p) ? "a link to a folder, not an image file" : FOLDER;
        }
        if (Files.isSymbolicLink(p)) {
            try {
                p.toRealPath();
            } catch (java.nio.file.NoSuchFileException e) {
                return "a broken symbolic link (its target does not exist)";
            } catch (IOException e) {
                return "a symbolic link that cannot be followed (a loop of links?)";
            }
        }
        return Files.exists(p) ? "not a regular file (a FIFO, socket or device)" : "vanished while being listed";
    }

    /** True when the file name ends in one of {@link #IMAGE_EXTENSIONS}, in any case. */
    public static boolean isImageName(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** An image by its name ({@link #isImageName}), or a regular file of another name with DICOM content. */
    public static boolean isImageFile(Path p) {
        return isImageName(p) || (Files.isRegularFile(p) && DicomReader.isDicom(p));
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** Images per class, indexed like {@link #classes()}. */
    public int[] counts() {
        int[] counts = new int[classes.size()];
        for (Sample s : samples) {
            counts[s.label()]++;
        }
        return counts;
    }

    /** The class index of every sample, in sample order. */
    public int[] labels() {
        return samples.stream().mapToInt(Sample::label).toArray();
    }

    /**
     * Checks that a classifier can be trained on these samples: at least 2 classes, each with at
     * least 2 images (a stratified split puts one in each side).
     *
     * @param afterSkipping a note for the message when unreadable images were already left out
     */
    public void requireTrainable(String afterSkipping) {
        if (classes.size() < 2) {
            throw new CxrException("dataset folder " + root + " has only one class (" + classes.get(0)
                    + "): a classifier needs at least 2 class sub-folders");
        }
        int[] counts = counts();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 2) {
                throw new CxrException(
                        "class '" + classes.get(i) + "' in " + root + " has " + counts[i]
                                + (counts[i] == 1 ? " image" : " images") + afterSkipping
                                + ": a stratified split needs at least 2 per class (images are .jpg, .jpeg, .png, .bmp, .tif, .dcm, or DICOM of any name)");
            }
        }
    }

    /** This dataset with only the given samples (in their order), the same classes. */
    public ImageFolder withSamples(List<Sample> kept) {
        return new ImageFolder(root, classes, kept);
    }
}
