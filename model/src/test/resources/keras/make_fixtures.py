"""Writes the tiny Keras-layout weights fixtures of this folder with h5py, the way Keras 1 and 2 wrote
them (fixed-length byte-string attributes; an empty list as an empty float64 array). One set of
values, three layouts, so a test can check that all three load into the same network.

VGG16's topology and layer names with every conv 4 channels wide: widths 4/4/4/4/4.
Run: python3 make_fixtures.py   (needs numpy and h5py)
"""
import h5py
import numpy as np

WIDTHS = [4, 4, 4, 4, 4]
BLOCKS = [2, 2, 3, 3, 3]

rs = np.random.RandomState(5)
convs = []  # (name, kernel HWIO, bias)
cin = 3
for b, (n, w) in enumerate(zip(BLOCKS, WIDTHS)):
    for c in range(n):
        k = rs.normal(0, np.sqrt(2 / (9 * cin)), (3, 3, cin, w)).astype(np.float32)
        bias = rs.uniform(-0.05, 0.05, (w,)).astype(np.float32)
        convs.append((f"block{b + 1}_conv{c + 1}", k, bias))
        cin = w
top = []  # the with-top file's dense layers: flatten 7*7*4 -> fc1 8 -> fc2 8 -> predictions 3
din = 7 * 7 * WIDTHS[-1]
for name, units in [("fc1", 8), ("fc2", 8), ("predictions", 3)]:
    top.append((name, rs.normal(0, 0.1, (din, units)).astype(np.float32),
                rs.uniform(-0.05, 0.05, (units,)).astype(np.float32)))
    din = units


def layer_order(with_top, input_name):
    names, i = [input_name], 0
    for b, n in enumerate(BLOCKS):
        names += [convs[i + c][0] for c in range(n)] + [f"block{b + 1}_pool"]
        i += n
    if with_top:
        names += ["flatten"] + [t[0] for t in top]
    return names


def write(path, keras2, with_top, userblock=0):
    weights = {name: (k, b) for name, k, b in convs + (top if with_top else [])}
    names = layer_order(with_top, "input_1")
    with h5py.File(path, "w", libver="earliest", userblock_size=userblock) as f:
        f.attrs["layer_names"] = np.array([n.encode("utf8") for n in names])  # fixed-length |S
        if keras2:
            f.attrs["backend"] = b"tensorflow"
            f.attrs["keras_version"] = b"2.2.4"
        for n in names:
            g = f.create_group(n)
            if n not in weights:
                g.attrs["weight_names"] = np.array([])  # what Keras wrote for []: float64, shape (0,)
                continue
            k, b = weights[n]
            if keras2:
                wn = [f"{n}/kernel:0", f"{n}/bias:0"]
            else:
                wn = [f"{n}_W_1:0", f"{n}_b_1:0"]
            g.attrs["weight_names"] = np.array([w.encode("utf8") for w in wn])
            g.create_dataset(wn[0], data=k)
            g.create_dataset(wn[1], data=b)


write("vgg16-w4-keras1-notop.h5", keras2=False, with_top=False)
write("vgg16-w4-keras2-notop.h5", keras2=True, with_top=False)
write("vgg16-w4-keras2-top.h5", keras2=True, with_top=True)
# a valid HDF5 file may start with a user block (here 512 bytes of zeros) before its superblock
write("vgg16-w4-keras2-notop-userblock512.h5", keras2=True, with_top=False, userblock=512)
