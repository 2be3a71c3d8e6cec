#!/usr/bin/env python3
"""The tutorial's training in Keras, timed: the anchor for cxr's training time.

  keras_tutorial_train.py --dataset data/covid-xray-50 --weights W.h5 [--epochs 25] [--threads N]

What the tutorial's train_covid19.py does, on Keras 3 / TensorFlow 2: images read with OpenCV
(BGR to RGB, resized to 224x224), scaled to [0, 1], labels one-hot, an 80/20 stratified split with
random_state=42, ImageDataGenerator(rotation_range=15, fill_mode="nearest"), VGG16 without its top
(frozen) with the head AveragePooling2D(4x4) > Flatten > Dense(64, relu) > Dropout(0.5) >
Dense(2, softmax), Adam 1e-3 with the legacy decay 1e-3/25 (lr / (1 + decay * step)), binary
cross-entropy, 25 epochs of batch 8, then the test split's predictions. Keras 3 moved
ImageDataGenerator to keras.src.legacy and dropped Adam's decay argument; the schedule below is the
same arithmetic. Prints the seconds for the whole script and for fit().
"""
import argparse
import os
import sys
import time

START = time.perf_counter()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", required=True)
    p.add_argument("--weights", required=True, help="VGG16 notop weights in the Keras HDF5 layout")
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--threads", type=int, default=0, help="TensorFlow intra-op threads; 0: all cores")
    args = p.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import cv2
    import numpy as np
    import tensorflow as tf

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    import keras
    from keras import layers
    from keras.src.legacy.preprocessing.image import ImageDataGenerator
    from sklearn.model_selection import train_test_split

    data, labels = [], []
    for label in sorted(os.listdir(args.dataset)):
        folder = os.path.join(args.dataset, label)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            image = cv2.imread(os.path.join(folder, name))
            if image is None:
                continue
            image = cv2.resize(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), (224, 224))
            data.append(image)
            labels.append(label)
    data = np.array(data) / 255.0
    classes = sorted(set(labels))
    y = keras.utils.to_categorical([classes.index(label) for label in labels], len(classes))
    train_x, test_x, train_y, test_y = train_test_split(data, y, test_size=0.20, stratify=y, random_state=42)
    augment = ImageDataGenerator(rotation_range=15, fill_mode="nearest")

    base = keras.applications.VGG16(weights=None, include_top=False, input_tensor=layers.Input(shape=(224, 224, 3)))
    base.load_weights(args.weights)
    head = layers.AveragePooling2D(pool_size=(4, 4))(base.output)
    head = layers.Flatten(name="flatten")(head)
    head = layers.Dense(64, activation="relu")(head)
    head = layers.Dropout(0.5)(head)
    head = layers.Dense(len(classes), activation="softmax")(head)
    model = keras.Model(inputs=base.input, outputs=head)
    for layer in base.layers:
        layer.trainable = False
    lr = keras.optimizers.schedules.InverseTimeDecay(1e-3, decay_steps=1, decay_rate=1e-3 / args.epochs)
    model.compile(loss="binary_crossentropy", optimizer=keras.optimizers.Adam(learning_rate=lr), metrics=["accuracy"])
    batch = 8
    fit_start = time.perf_counter()
    model.fit(augment.flow(train_x, train_y, batch_size=batch), steps_per_epoch=len(train_x) // batch,
              validation_data=(test_x, test_y), validation_steps=len(test_x) // batch, epochs=args.epochs, verbose=2)
    fit_seconds = time.perf_counter() - fit_start
    predictions = model.predict(test_x, batch_size=batch, verbose=0).argmax(axis=1)
    accuracy = float((predictions == test_y.argmax(axis=1)).mean())
    print(f"keras {keras.__version__} / tensorflow {tf.__version__}: {len(train_x)} train, {len(test_x)} test images, "
          f"test accuracy {accuracy:.2f}; fit {fit_seconds:.1f} s, whole script {time.perf_counter() - START:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
