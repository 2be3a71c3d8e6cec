package dev.cxr.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that run a saved model: the model file and the base weights. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A model.h5 written by 'cxr train'.")
    Path model;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "The VGG16 weights the model was trained on. Default: the file used in training if it is"
                    + " still there, else the verified ImageNet file.")
    Path weights;
}
