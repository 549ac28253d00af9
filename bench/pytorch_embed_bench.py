#!/usr/bin/env python3
"""PyTorch eager peer for the embedding benchmark (bench/embed-bench.sh), with Debian's python3-torch and
python3-torchvision (CPU).

For each architecture it builds the network the service builds, seeded and untrained: for resnet18/resnet50
torchvision's ResNet with the classifier replaced by a linear layer to the embedding dimension (the same
layers as TrunkFactory's trunk + global average pool + linear head) on 224 px RGB, 128-d; for cnn the twin of
the default model's small CNN (TrunkFactory.smallCnn: four conv3x3-BN-ReLU stages of 32/64/128/256 filters,
2x2 max pooling after the first three, global average pool, linear head) on 32 px grey, 64-d. Then:
  - times it in eager mode at batch 1 and batch 32, preprocessing included
    (uint8 HWC -> float CHW, normalised), with torch.set_num_threads(THREADS), after a warm-up of
    WARMUP_SECONDS (default 5, as the Java side). The batch is a permuted view of the stacked HWC images (the
    usual way from numpy images to NCHW), so its memory is channels-last, and PyTorch's convolutions keep that
    layout through the whole network;
  - traces it to TorchScript and writes a service model bundle (trunk.pt + manifest.json) under
    OUT/<arch>-torchscript, which the Java side then loads through DJL.
Prints tab-separated rows:  embed  pytorch-eager  <arch>  <batch>  <images/s>  <p50 ms per call>

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_embed_bench.py target/bench resnet18,resnet50
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torchvision

THREADS = int(os.environ.get("THREADS", "2"))
WARMUP_SECONDS = float(os.environ.get("WARMUP_SECONDS", "5"))
# input side, channels, embedding dimension, calls timed at batch 1 and at batch 32: as EmbeddingBenchmark
SHAPES = {"cnn": (32, 1, 64, 300, 30), "resnet18": (224, 3, 128, 30, 3), "resnet50": (224, 3, 128, 30, 3)}


def small_cnn(dim):
    layers, channels = [], 1
    for i, filters in enumerate((32, 64, 128, 256)):
        layers += [torch.nn.Conv2d(channels, filters, 3, padding=1, bias=False), torch.nn.BatchNorm2d(filters),
                   torch.nn.ReLU()]
        if i < 3:
            layers.append(torch.nn.MaxPool2d(2, 2))
        channels = filters
    layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(channels, dim)]
    return torch.nn.Sequential(*layers)


def network(arch, dim):
    torch.manual_seed(7)
    if arch == "cnn":
        return small_cnn(dim).eval()
    model = getattr(torchvision.models, arch)(weights=None)
    model.fc = torch.nn.Linear(model.fc.in_features, dim)
    return model.eval()


def preprocess(images, channels):
    batch = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div_(255.0)
    mean = torch.tensor([0.5] * channels)[None, :, None, None]
    std = torch.tensor([0.25] * channels)[None, :, None, None]
    return (batch - mean) / std


def embed(model, images):
    with torch.inference_mode():
        out = model(preprocess(images, images[0].shape[2]))
        return torch.nn.functional.normalize(out, dim=1)


def timed(model, images, batch, calls):
    """Median images/s and median ms per call over `calls` calls of `batch` images."""
    durations = []
    for i in range(calls):
        chosen = [images[(i * batch + j) % len(images)] for j in range(batch)]
        start = time.perf_counter()
        embed(model, chosen)
        durations.append(time.perf_counter() - start)
    p50 = statistics.median(durations)
    return batch / p50, p50 * 1000


def warm_up(model, images, batch):
    """Two calls, then more until WARMUP_SECONDS have passed: the same warm-up as EmbeddingBenchmark's."""
    until = time.perf_counter() + WARMUP_SECONDS
    timed(model, images, batch, 2)
    while time.perf_counter() < until:
        timed(model, images, batch, 1)


def main():
    out_dir, archs = sys.argv[1], sys.argv[2].split(",")
    torch.set_num_threads(THREADS)
    for arch in archs:
        size, channels, dim, calls1, calls32 = SHAPES[arch]
        rng = np.random.default_rng(7)
        images = [rng.integers(0, 256, (size, size, channels), dtype=np.uint8) for _ in range(64)]
        model = network(arch, dim)
        for batch, calls in ((1, calls1), (32, calls32)):
            warm_up(model, images, batch)
            rate, ms = timed(model, images, batch, calls)
            print(f"embed\tpytorch-eager\t{arch}\t{batch}\t{rate:.2f}\t{ms:.1f}", flush=True)
        bundle = os.path.join(out_dir, f"{arch}-torchscript")
        os.makedirs(bundle, exist_ok=True)
        traced = torch.jit.trace(model, torch.zeros(1, channels, size, size))
        traced.save(os.path.join(bundle, "trunk.pt"))
        manifest = {
            "id": f"bench-{arch}-torchscript",
            "description": f"{arch} twin of the service's trunk, seeded and untrained, traced by bench/pytorch_embed_bench.py",
            "architecture": "torchscript", "inputSize": size, "resizeSize": size, "channels": channels,
            "mean": [0.5] * channels, "std": [0.25] * channels, "embeddingDim": dim, "distance": "cosine",
            "weights": "trunk.pt",
            "trained": False, "provenance": "bench/pytorch_embed_bench.py, torch.manual_seed(7)",
        }
        with open(os.path.join(bundle, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
