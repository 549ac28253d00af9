#!/usr/bin/env python3
"""PyTorch eager peer for the embedding benchmark (bench/embed-bench.sh), with Debian's python3-torch and
python3-torchvision (CPU).

For each architecture it builds the network the service builds (torchvision's ResNet with the classifier
replaced by a linear layer to the embedding dimension: the same layers as TrunkFactory's trunk + global
average pool + linear head), seeded and untrained, then:
  - times it in eager mode at batch 1 and batch 32 on 224 px RGB images, preprocessing included
    (uint8 HWC -> float CHW, normalised), with torch.set_num_threads(THREADS);
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

SIZE = 224
DIM = 128
MEAN, STD = [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]
THREADS = int(os.environ.get("THREADS", "2"))


def network(arch):
    torch.manual_seed(7)
    model = getattr(torchvision.models, arch)(weights=None)
    model.fc = torch.nn.Linear(model.fc.in_features, DIM)
    return model.eval()


def preprocess(images):
    batch = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div_(255.0)
    mean = torch.tensor(MEAN)[None, :, None, None]
    std = torch.tensor(STD)[None, :, None, None]
    return (batch - mean) / std


def embed(model, images):
    with torch.inference_mode():
        out = model(preprocess(images))
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


def main():
    out_dir, archs = sys.argv[1], sys.argv[2].split(",")
    torch.set_num_threads(THREADS)
    rng = np.random.default_rng(7)
    images = [rng.integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8) for _ in range(64)]
    for arch in archs:
        model = network(arch)
        for batch, calls in ((1, 30), (32, 3)):
            timed(model, images, batch, 2)  # warm-up
            rate, ms = timed(model, images, batch, calls)
            print(f"embed\tpytorch-eager\t{arch}\t{batch}\t{rate:.2f}\t{ms:.1f}", flush=True)
        bundle = os.path.join(out_dir, f"{arch}-torchscript")
        os.makedirs(bundle, exist_ok=True)
        traced = torch.jit.trace(model, torch.zeros(1, 3, SIZE, SIZE))
        traced.save(os.path.join(bundle, "trunk.pt"))
        manifest = {
            "id": f"bench-{arch}-torchscript",
            "description": f"torchvision {arch}, seeded and untrained, traced by bench/pytorch_embed_bench.py",
            "architecture": "torchscript", "inputSize": SIZE, "resizeSize": SIZE, "channels": 3,
            "mean": MEAN, "std": STD, "embeddingDim": DIM, "distance": "cosine", "weights": "trunk.pt",
            "trained": False, "provenance": "bench/pytorch_embed_bench.py, torch.manual_seed(7)",
        }
        with open(os.path.join(bundle, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
