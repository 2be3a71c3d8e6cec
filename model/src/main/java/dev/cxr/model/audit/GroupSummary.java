package dev.cxr.model.audit;

import java.util.List;

/**
 * The groups (patients) of a dataset as its groups file gives them. Group ids are not kept (they may
 * be patient identifiers); images are named by their paths.
 *
 * @param used               whether a groups file was given; the other fields are empty when not
 * @param file               the groups file's name as given
 * @param groups             distinct groups among the usable images
 * @param withSeveralImages  groups of more than one image (a split could cut them)
 * @param largest            images in the largest group
 * @param inSeveralClasses   how many groups have images in more than one class (a patient both covid
 *                           and normal is a labelling question)
 * @param inSeveralClassesPaths the images of those groups, in dataset order
 */
public record GroupSummary(
        boolean used,
        String file,
        int groups,
        int withSeveralImages,
        int largest,
        int inSeveralClasses,
        List<String> inSeveralClassesPaths) {}
