package dev.cxr.spark;

import dev.cxr.engine.backend.Device;
import java.io.Serializable;

/**
 * What each executor needs to build the classifier, sent with every task: the saved model's bytes
 * (a head of 130 kB for VGG16) and their md5, which keys the executor's loaded models; where the
 * VGG16 weights are; the device and how many images go through the network at once.
 *
 * @param gpuIndex the GPU when the task has none assigned by Spark's resource scheduling
 */
record ModelSpec(byte[] model, String modelMd5, WeightsLocation weights, Device device, int gpuIndex, int batchSize)
        implements Serializable {
    @Override
    public String toString() {
        return "ModelSpec(model md5 " + modelMd5 + ", weights " + weights + ", " + device + ", batch " + batchSize
                + ")";
    }
}
