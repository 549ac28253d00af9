#!/usr/bin/env python3
"""Writes the committed Fashion-MNIST subsets: the first PER_CLASS images of each class of one split of
Debian's dataset-fashion-mnist package, in IDX format.

    python3 make_subset.py                   # subset-*-ubyte: 30 per class of t10k (search tests)
    python3 make_subset.py train 100 train   # train/train-*-ubyte.gz: 100 per class of train (training tests)

Arguments: split (t10k or train), images per class, output directory ("." writes the uncompressed
subset-* files, any other directory gzipped train-* files). A fourth argument overrides the dataset root.
"""
import gzip
import os
import struct
import sys

split = sys.argv[1] if len(sys.argv) > 1 else "t10k"
per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 30
out_dir = sys.argv[3] if len(sys.argv) > 3 else "."
root = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/datasets/fashion-mnist"

with gzip.open(f"{root}/{split}-images-idx3-ubyte.gz") as f:
    magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
    images = f.read()
with gzip.open(f"{root}/{split}-labels-idx1-ubyte.gz") as f:
    magic, n_labels = struct.unpack(">II", f.read(8))
    labels = f.read()

chosen, counts = [], [0] * 10
for i, label in enumerate(labels):
    if counts[label] < per_class:
        counts[label] += 1
        chosen.append(i)

size = rows * cols
if out_dir == ".":
    names, opener = ("subset-images-idx3-ubyte", "subset-labels-idx1-ubyte"), open
else:
    os.makedirs(out_dir, exist_ok=True)
    names = (f"{out_dir}/train-images-idx3-ubyte.gz", f"{out_dir}/train-labels-idx1-ubyte.gz")
    opener = lambda name, mode: gzip.GzipFile(name, mode, mtime=0)
with opener(names[0], "wb") as f:
    f.write(struct.pack(">IIII", 2051, len(chosen), rows, cols))
    for i in chosen:
        f.write(images[i * size:(i + 1) * size])
with opener(names[1], "wb") as f:
    f.write(struct.pack(">II", 2049, len(chosen)))
    f.write(bytes(labels[i] for i in chosen))
print(f"wrote {len(chosen)} images")
