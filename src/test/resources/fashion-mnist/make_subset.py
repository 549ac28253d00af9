#!/usr/bin/env python3
"""Writes the committed Fashion-MNIST test subset: the first PER_CLASS images of each class of the
t10k split of Debian's dataset-fashion-mnist package, in IDX format (uncompressed).

    python3 make_subset.py [/usr/share/datasets/fashion-mnist]
"""
import gzip
import struct
import sys

PER_CLASS = 30
root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"

with gzip.open(f"{root}/t10k-images-idx3-ubyte.gz") as f:
    magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
    images = f.read()
with gzip.open(f"{root}/t10k-labels-idx1-ubyte.gz") as f:
    magic, n_labels = struct.unpack(">II", f.read(8))
    labels = f.read()

chosen, counts = [], [0] * 10
for i, label in enumerate(labels):
    if counts[label] < PER_CLASS:
        counts[label] += 1
        chosen.append(i)

size = rows * cols
with open("subset-images-idx3-ubyte", "wb") as f:
    f.write(struct.pack(">IIII", 2051, len(chosen), rows, cols))
    for i in chosen:
        f.write(images[i * size:(i + 1) * size])
with open("subset-labels-idx1-ubyte", "wb") as f:
    f.write(struct.pack(">II", 2049, len(chosen)))
    f.write(bytes(labels[i] for i in chosen))
print(f"wrote {len(chosen)} images")
