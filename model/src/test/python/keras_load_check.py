#!/usr/bin/env python3
"""Loads a model.h5 written by `cxr train` into the tutorial's head with Keras's own
`model.load_weights(path, by_name=True)` and checks that Keras predicts what cxr predicted.

    python3 keras_load_check.py MODEL.h5 FEATURES.h5 PREDICTIONS.csv

FEATURES.h5 is `cxr features --weights <the model's base weights> --preprocess <its mode>` of some
images, PREDICTIONS.csv `cxr predict --model MODEL.h5 --csv` of the same images. The model is the
tutorial's head on VGG16's 7x7x512 block5_pool, built as the tutorial builds it: AveragePooling2D
(4x4) -> Flatten -> Dense(64, relu) -> Dropout(0.5) -> Dense(2, softmax). Needs keras 3 with a
backend (KERAS_BACKEND, default jax), h5py and numpy. Exits 1 when a probability differs by more
than 1e-5 (the CSV has 6 decimals).
"""
import csv
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402


def main(model_path, features_path, predictions_path):
    inputs = keras.Input(shape=(7, 7, 512))
    x = keras.layers.AveragePooling2D(pool_size=(4, 4))(inputs)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(64, activation="relu")(x)   # named "dense" by Keras
    x = keras.layers.Dropout(0.5)(x)
    outputs = keras.layers.Dense(2, activation="softmax")(x)  # "dense_1"
    head = keras.Model(inputs, outputs)
    names = [layer.name for layer in head.layers if layer.weights]
    before = [w.copy() for w in head.get_weights()]
    head.load_weights(model_path, by_name=True)
    after = head.get_weights()
    changed = sum(not np.array_equal(a, b) for a, b in zip(before, after))
    print(f"keras {keras.__version__} ({keras.backend.backend()}): load_weights(by_name=True) set "
          f"{changed} of {len(after)} weight arrays of layers {names}")
    if changed != len(after):
        print("FAILED: not every weight of the head was loaded")
        return 1

    with h5py.File(features_path, "r") as f:
        images = [n for n in f.keys() if isinstance(f[n], h5py.Dataset)]
        maps = np.stack([np.asarray(f[n], dtype=np.float32) for n in images])
    keras_p = np.asarray(head.predict(maps, verbose=0))

    with open(predictions_path, newline="") as f:
        rows = {os.path.basename(r["path"]): r for r in csv.DictReader(f)}
    worst = 0.0
    for name, p in zip(images, keras_p):
        r = rows[name]
        cxr_p = np.array([float(r["p_covid"]), float(r["p_normal"])])
        worst = max(worst, float(np.max(np.abs(cxr_p - p))))
        print(f"  {name}: keras p(covid) {p[0]:.6f}, cxr {cxr_p[0]:.6f}, cxr says {r['predicted']}")
    print(f"{len(images)} images: largest probability difference keras vs cxr {worst:.2e}")
    return 0 if worst <= 1e-5 else 1


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
