#!/usr/bin/env python3
"""Regenerates the synthetic VGG16 "notop" weights of the shared reference data
(vgg16-synthetic-seed1-notop.h5, 59 MB, too large to carry to the GPU machine) from its recipe:
numpy.random.RandomState(1); for each conv in network order, first
W = rs.normal(0, sqrt(2/(9*in)), (3,3,in,out)).astype(float32), then
b = rs.uniform(-0.05, 0.05, (out,)).astype(float32); written in the Keras-1 HDF5 layout
(root attribute layer_names; per layer a group with attribute weight_names and, for convs, the
datasets <layer>_W_1:0 (HWIO) and <layer>_b_1:0).

    python3 gpu/make_synthetic_weights.py OUT.h5          # write (needs numpy and h5py)
    python3 gpu/make_synthetic_weights.py --check FILE.h5 # verify FILE holds exactly these
                                                          # values (needs numpy only)

--check relies on the reference file's layout (contiguous datasets, no filters): each array's
raw little-endian bytes must appear in the file, in network order.
"""
import os
import sys

import numpy as np

BLOCKS = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]


def layers():
    """(name, in, out) of the 13 convs and the full Keras-1 layer list, in network order."""
    convs, names, cin = [], ["input_2"], 3
    for b, widths in enumerate(BLOCKS, start=1):
        for c, cout in enumerate(widths, start=1):
            name = f"block{b}_conv{c}"
            convs.append((name, cin, cout))
            names.append(name)
            cin = cout
        names.append(f"block{b}_pool")
    return convs, names


def weights():
    """Yields (name, W, b) in network order, drawn exactly as the recipe says."""
    rs = np.random.RandomState(1)
    convs, _ = layers()
    for name, cin, cout in convs:
        w = rs.normal(0, np.sqrt(2.0 / (9 * cin)), (3, 3, cin, cout)).astype(np.float32)
        b = rs.uniform(-0.05, 0.05, (cout,)).astype(np.float32)
        yield name, w, b


def write(path):
    import h5py  # only writing needs it

    convs, names = layers()
    conv_names = {c[0] for c in convs}
    tmp = path + ".part"
    with h5py.File(tmp, "w", libver="earliest") as f:
        f.attrs["layer_names"] = np.array([n.encode() for n in names], dtype="S12")
        for name in names:
            g = f.create_group(name)
            if name not in conv_names:
                g.attrs["weight_names"] = np.zeros((0,), dtype=np.float64)
        for name, w, b in weights():
            g = f[name]
            g.attrs["weight_names"] = np.array([f"{name}_W_1:0".encode(), f"{name}_b_1:0".encode()], dtype="S18")
            g.create_dataset(f"{name}_W_1:0", data=w)
            g.create_dataset(f"{name}_b_1:0", data=b)
    os.replace(tmp, path)
    print(f"wrote {path} ({os.path.getsize(path):,} bytes)")


def check(path):
    data = open(path, "rb").read()
    at = 0
    for name, w, b in weights():
        for label, arr in (("W", w), ("b", b)):
            pos = data.find(arr.astype("<f4").tobytes(), at)
            if pos < 0:
                print(f"MISMATCH: {name} {label} {arr.shape} not found in {path} after byte {at}")
                return 1
            at = pos + arr.nbytes
        print(f"ok {name}: W {w.shape} and b {b.shape} are byte-identical")
    print(f"all 13 kernels and biases of {path} match the recipe bit for bit")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    if len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        write(sys.argv[1])
        sys.exit(0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
