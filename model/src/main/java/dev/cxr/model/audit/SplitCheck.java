package dev.cxr.model.audit;

import dev.cxr.model.data.GroupLeakage;
import java.util.List;
import java.util.Map;

/**
 * What one split (a train/test split, or k folds) would put on both sides: test images that share a
 * group with training, and duplicates with a copy in training. For k folds each image is a test image
 * once, and a pair is counted when its images are in different folds.
 *
 * @param name          what the split is ("cxr train's split without --groups")
 * @param how           the algorithm and its settings
 * @param grouped       whether the split kept groups on one side
 * @param testSizes     test images of each fold (one entry for a train/test split)
 * @param testPerClass  test images per class, over all folds
 * @param groupLeakage  test images sharing a group with training; null when no groups file was given
 * @param across        duplicates with images on different sides
 */
public record SplitCheck(
        String name,
        String how,
        boolean grouped,
        List<Integer> testSizes,
        Map<String, Integer> testPerClass,
        GroupLeakage groupLeakage,
        Duplicates across) {}
