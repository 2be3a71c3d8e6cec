"""Makes cam-narrow-seed11.h5: HiResCAM and Grad-CAM at block5_conv3 computed by TensorFlow/Keras
(tf.GradientTape), the independent oracle of cxr's explain on the narrow VGG16 fixture.

Run from the repository root with the project's venv (numpy, h5py, tensorflow, keras):
    /work/venv/bin/python model/src/test/resources/explain/make_cam_reference.py

Inputs (already in the test resources): the narrow VGG16 weights
reference/small/vgg16-narrow-seed11-notop.h5 and the two 224x224 uint8 RGB images TF's pipeline
saw, reference/small/vgg16-narrow-seed11-expected.h5 /resized_rgb_u8/<file>. The head is the
tutorial's (AveragePooling2D 4x4 -> Flatten -> Dense(64, relu) -> Dropout -> Dense(2) -> softmax)
with weights drawn here from numpy.random.RandomState(14) and stored in the output, so the Java
test loads the same head. Tutorial preprocessing: float32(u8 / 255.0), RGB.

For each image and each class k (0 covid, 1 normal): A = block5_conv3's output (14, 14, 32),
G = dY_k/dA where Y_k is the pre-softmax logit, by tf.GradientTape through block5_pool and the
head (dropout off);
  hirescam = ReLU(sum_c G[..., c] * A[..., c])
  gradcam  = ReLU(sum_c mean_{y,x}(G[..., c]) * A[..., c])
computed in float64 from TF's float32 A and G. Datasets are (14, 14), row 0 at the top.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import h5py
import keras
import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL = os.path.join(HERE, "..", "reference", "small")
WEIGHTS = os.path.join(SMALL, "vgg16-narrow-seed11-notop.h5")
EXPECTED = os.path.join(SMALL, "vgg16-narrow-seed11-expected.h5")
OUT = os.path.join(HERE, "cam-narrow-seed11.h5")
WIDTHS = [8, 16, 32, 32, 32]
CONVS = [2, 2, 3, 3, 3]
HEAD_SEED = 14
HIDDEN = 64


def base_to_block5_conv3():
    x = inp = keras.Input((224, 224, 3))
    for b, (w, n) in enumerate(zip(WIDTHS, CONVS), start=1):
        for i in range(1, n + 1):
            x = keras.layers.Conv2D(w, 3, padding="same", activation="relu", name=f"block{b}_conv{i}")(x)
        if b < 5:
            x = keras.layers.MaxPooling2D(2, 2, name=f"block{b}_pool")(x)
    return keras.Model(inp, x)


def load_weights(model):
    with h5py.File(WEIGHTS, "r") as f:
        for layer in model.layers:
            if isinstance(layer, keras.layers.Conv2D):
                g = f[layer.name]
                layer.set_weights([g[f"{layer.name}_W_1:0"][()], g[f"{layer.name}_b_1:0"][()]])


def head_weights():
    rs = np.random.RandomState(HEAD_SEED)
    c = WIDTHS[-1]
    k1 = rs.normal(0, np.sqrt(2.0 / c), (c, HIDDEN)).astype(np.float32)
    b1 = rs.uniform(-0.05, 0.05, (HIDDEN,)).astype(np.float32)
    k2 = rs.normal(0, np.sqrt(1.0 / HIDDEN), (HIDDEN, 2)).astype(np.float32)
    b2 = rs.uniform(-0.05, 0.05, (2,)).astype(np.float32)
    return k1, b1, k2, b2


def after_target(k1, b1, k2, b2):
    a = inp = keras.Input((14, 14, WIDTHS[-1]))
    x = keras.layers.MaxPooling2D(2, 2, name="block5_pool")(a)
    x = keras.layers.AveragePooling2D((4, 4))(x)
    x = keras.layers.Flatten()(x)
    d = keras.layers.Dense(HIDDEN, activation="relu", name="dense")
    x = d(x)
    x = keras.layers.Dropout(0.5)(x)
    d1 = keras.layers.Dense(2, name="dense_1")   # the logits: softmax is applied outside
    x = d1(x)
    m = keras.Model(inp, x)
    d.set_weights([k1, b1])
    d1.set_weights([k2, b2])
    return m


def main():
    base = base_to_block5_conv3()
    load_weights(base)
    k1, b1, k2, b2 = head_weights()
    head = after_target(k1, b1, k2, b2)
    with h5py.File(EXPECTED, "r") as f:
        names = [n.decode().split("/")[-1] for n in f.attrs["images"]]
        u8 = np.stack([f["resized_rgb_u8"][n][()] for n in names])
    x = tf.constant((u8 / 255.0).astype(np.float32))
    a = base(x, training=False)
    with h5py.File(OUT + ".tmp", "w", libver="earliest") as out:
        out.attrs["description"] = ("HiResCAM and Grad-CAM at block5_conv3 of the narrow VGG16 fixture with a seeded"
                                    " tutorial head, by TensorFlow/Keras GradientTape; see make_cam_reference.py")
        out.attrs["images"] = np.array([n.encode() for n in names])
        out.attrs["classes"] = np.array([b"covid", b"normal"])
        out.attrs["versions"] = f"tensorflow {tf.__version__}, keras {keras.__version__}, numpy {np.__version__}"
        for name, v in [("dense_kernel", k1), ("dense_bias", b1), ("dense_1_kernel", k2), ("dense_1_bias", b2)]:
            out.create_dataset(f"head/{name}", data=v)
        for i, n in enumerate(names):
            ai = a[i:i + 1]
            for k, cls in enumerate(["covid", "normal"]):
                with tf.GradientTape() as tape:
                    tape.watch(ai)
                    logits = head(ai, training=False)
                    y = logits[0, k]
                g = tape.gradient(y, ai).numpy()[0].astype(np.float64)
                av = ai.numpy()[0].astype(np.float64)
                hires = np.maximum(0, (g * av).sum(axis=-1))
                grad = np.maximum(0, (g.mean(axis=(0, 1)) * av).sum(axis=-1))
                out.create_dataset(f"{n}/{cls}/hirescam", data=hires.astype(np.float32))
                out.create_dataset(f"{n}/{cls}/gradcam", data=grad.astype(np.float32))
                if k == 0:
                    z = logits.numpy()[0]
                    out.create_dataset(f"{n}/logits", data=z.astype(np.float32))
                    out.create_dataset(f"{n}/probabilities", data=tf.nn.softmax(z).numpy().astype(np.float32))
                print(n, cls, "logits", logits.numpy()[0], "hirescam max", hires.max(),
                      "nonzero outside 8x8", int((hires[8:, :] > 0).sum() + (hires[:8, 8:] > 0).sum()),
                      "gradcam nonzero outside", int((grad[8:, :] > 0).sum() + (grad[:8, 8:] > 0).sum()))
    os.replace(OUT + ".tmp", OUT)


if __name__ == "__main__":
    main()
