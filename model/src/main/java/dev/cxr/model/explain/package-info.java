/**
 * What the model looks at: class-activation maps at VGG16's last convolution (block5_conv3, 14x14
 * for a 224x224 input) from the gradient of one class's pre-softmax logit, HiResCAM or Grad-CAM
 * ({@link dev.cxr.model.explain.CamMethod}), drawn over the X-ray ({@link dev.cxr.model.explain.Overlay})
 * and written as raw maps ({@link dev.cxr.model.explain.HeatmapsFile}). The gradient goes back
 * through the head and block5_pool only; the frozen base runs forward. {@code cxr explain} and the
 * HTML report's gallery get their maps from {@link dev.cxr.model.explain.Explainer}.
 */
package dev.cxr.model.explain;
