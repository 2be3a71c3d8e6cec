"""Writes small images of every kind cxr must decode, and what OpenCV makes of them, for the decoder
and resize tests. The images come from PIL and OpenCV's writers; the expected pixels are
cv2.imread(path) (IMREAD_COLOR) then BGR->RGB, and cv2.resize(..., INTER_LINEAR) on random images.
Run: python3 make_images.py   (needs numpy, h5py, Pillow and opencv-python; made with Debian 12's
python3-opencv 4.6.0 and python3-pil 9.4.0)
"""
import io
import cv2
import h5py
import numpy as np
from PIL import Image

rs = np.random.RandomState(7)


def smooth(h, w, c):
    """A smooth random picture with some texture: what a JPEG encoder is built for."""
    yy, xx = np.mgrid[0:h, 0:w]
    out = np.zeros((h, w, c))
    for k in range(c):
        a, b, p = rs.uniform(0.05, 0.4, 3)
        out[..., k] = 128 + 90 * np.sin(a * xx + p) * np.cos(b * yy) + rs.normal(0, 12, (h, w))
    return np.clip(out, 0, 255)


files = {}
H, W = 21, 29  # odd on purpose: partial chroma blocks and MCUs
rgb8 = smooth(H, W, 3).astype(np.uint8)
gray8 = smooth(H, W, 1)[..., 0].astype(np.uint8)
rgb16 = (smooth(H, W, 3) * 257 + rs.randint(0, 257, (H, W, 3))).astype(np.uint16)
gray16 = (smooth(H, W, 1)[..., 0] * 257 + rs.randint(0, 257, (H, W))).astype(np.uint16)
alpha8 = rs.randint(0, 256, (H, W)).astype(np.uint8)

# PNG, through OpenCV's own writer (BGR order in, so the file holds our RGB)
cv2.imwrite("png-gray8.png", gray8)
cv2.imwrite("png-gray16.png", gray16)
cv2.imwrite("png-rgb8.png", rgb8[..., ::-1])
cv2.imwrite("png-rgb16.png", rgb16[..., ::-1])
cv2.imwrite("png-rgba8.png", np.dstack([rgb8[..., ::-1], alpha8]))
cv2.imwrite("png-rgba16.png", np.dstack([rgb16[..., ::-1], (alpha8.astype(np.uint16) * 257)]))
# PNG through PIL: gray+alpha, palettes (8-bit, 4-bit, with transparency), 1-bit
Image.fromarray(np.dstack([gray8, alpha8]), "LA").save("png-graya8.png")
pal = Image.fromarray(rgb8).quantize(colors=200)
pal.save("png-palette8.png")
Image.fromarray(rgb8).quantize(colors=12).save("png-palette4.png", bits=4)
p2 = Image.fromarray(rgb8).quantize(colors=16)
p2.info["transparency"] = 3
p2.save("png-palette-trns.png", transparency=3)
Image.fromarray(gray8 > 128).save("png-gray1.png")

# JPEG: gray, RGB with each chroma subsampling, progressive, CMYK (Adobe, inverted), EXIF orientations
Image.fromarray(gray8).save("jpeg-gray.jpg", quality=90)
big = smooth(45, 67, 3).astype(np.uint8)
for name, sub in [("444", 0), ("422", 1), ("420", 2)]:
    Image.fromarray(big).save(f"jpeg-rgb-{name}.jpg", quality=90, subsampling=sub)
Image.fromarray(big).save("jpeg-rgb-progressive.jpg", quality=85, progressive=True)
cmyk = np.dstack([smooth(H, W, 3), rs.uniform(0, 120, (H, W))]).astype(np.uint8)
Image.fromarray(cmyk, "CMYK").save("jpeg-cmyk.jpg", quality=95)
for o in (3, 6, 8):
    im = Image.fromarray(rgb8)
    exif = Image.Exif()
    exif[0x0112] = o
    im.save(f"jpeg-exif-orientation{o}.jpg", quality=90, exif=exif.tobytes())
exif = Image.Exif()
exif[0x0112] = 6
Image.fromarray(rgb8).save("png-exif-orientation6.png", exif=exif.tobytes())  # an eXIf chunk

import glob
with h5py.File("opencv-decoded.h5", "w", libver="earliest") as f:
    f.attrs["made_with"] = f"cv2.imread(path) then BGR2RGB; opencv {cv2.__version__}"
    for path in sorted(glob.glob("*.png") + glob.glob("*.jpg")):
        img = cv2.imread(path)
        f.create_dataset(path, data=cv2.cvtColor(img, cv2.COLOR_BGR2RGB))

# Resize cases: (in w, in h, out w, out h) up, down, halving, unchanged, one pixel, one column
cases = [(37, 23, 112, 96), (3, 2, 50, 40), (1, 1, 5, 7), (20, 20, 10, 10), (40, 30, 20, 15),
         (5, 9, 13, 4), (160, 120, 17, 31), (13, 17, 29, 31), (99, 101, 50, 60), (1, 50, 7, 9),
         (150, 100, 97, 61), (24, 24, 24, 24)]
with h5py.File("opencv-resized.h5", "w", libver="earliest") as f:
    f.attrs["made_with"] = f"cv2.resize(src, (out_w, out_h)) INTER_LINEAR on uint8; opencv {cv2.__version__}"
    for i, (w, h, ow, oh) in enumerate(cases):
        src = rs.randint(0, 256, (h, w, 3)).astype(np.uint8)
        if i % 2:
            src = cv2.GaussianBlur(src, (5, 5), 2)
        g = f.create_group(f"case{i:02d}")
        g.create_dataset("src", data=src)
        g.create_dataset("out", data=cv2.resize(src, (ow, oh)))
