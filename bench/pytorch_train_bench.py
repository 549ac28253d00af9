#!/usr/bin/env python3
"""PyTorch peer for training (bench/train-bench.sh), with Debian's python3-torch (CPU).

The same protocol as the service's training jobs, written the plain PyTorch way: Fashion-MNIST's train images
of the seen classes (a seeded 10% of each set aside for validation), P x K batches (P classes, K images each;
an epoch shows the training set once on average), Adam; then leave-one-out retrieval (cosine) on the t10k test
images of the held-out classes, which training never saw, and of the seen classes. The epoch reported is the
one with the best mean MAP@R over the validation images and over the held-out classes' train images (at most
2,000 of each), as the service selects it. Two networks:
  small3  (default) the plain script's: three conv3x3-BN-ReLU stages of 32/64/128 filters, 2x2 max pooling
          after the first two, global average pool, linear head, on 28 px grey
  cnn     the service's small CNN (TrunkFactory.smallCnn: four stages of 32/64/128/256 filters, 2x2 max
          pooling after the first three) on 32 px grey, for comparing implementations on the same network
Pixels are normalised as (x/255 - 0.5)/0.25, as the service's IDX datasets.

Objectives, as the service defines them (docs/architecture.md):
  softmax      linear classifier on the embedding, cross-entropy
  contrastive  every pair of the batch on L2-normalised embeddings: y d^2/2 + (1-y) max(0, m - d)^2/2
  triplet      max(0, d(a,p) - d(a,n) + m) on L2-normalised embeddings, batch-hard / semi-hard / batch-all,
               plain or squared distances
  center       cross-entropy + lambda/2 mean ||x - c_y||^2, centres moved by alpha outside the optimiser
  pixels       no network: the raw normalised pixels, the baseline a learned embedding has to beat

Prints one tab-separated row per objective:
  train  pytorch  <name>  <samples/s>  <seen R@1>  <seen MAP@R>  <unseen R@1>  <unseen MAP@R>  <best epoch>
  <train s>  <eval s>

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_train_bench.py --fashion /usr/share/datasets/fashion-mnist \
        --held-out 6,7,8,9 --objectives 'triplet={"type":"triplet"}'
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def preprocess(images, size):
    """uint8 N x 28 x 28 -> float N x 1 x size x size, bilinear resize as the service's Preprocessor."""
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    if size != x.shape[-1]:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return (x - 0.5) / 0.25


def small_cnn(dim, filters, pools):
    layers, channels = [], 1
    for i, width in enumerate(filters):
        layers += [torch.nn.Conv2d(channels, width, 3, padding=1, bias=False), torch.nn.BatchNorm2d(width),
                   torch.nn.ReLU()]
        if i < pools:
            layers.append(torch.nn.MaxPool2d(2, 2))
        channels = width
    layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(channels, dim)]
    return torch.nn.Sequential(*layers)


EVALUATION_IMAGES = 2000

ARCHS = {
    "cnn": (lambda dim: small_cnn(dim, (32, 64, 128, 256), 3), 32),
    "small3": (lambda dim: small_cnn(dim, (32, 64, 128), 2), 28),
}


def pairwise(x, squared):
    d2 = (x.pow(2).sum(1, keepdim=True) + x.pow(2).sum(1) - 2 * x @ x.t()).clamp_min(0)
    return d2 if squared else (d2 + 1e-12).sqrt()


def triplet_loss(e, labels, margin, miner, squared):
    x = F.normalize(e, dim=1)
    d = pairwise(x, squared)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(len(labels), dtype=torch.bool)
    positive = same & ~eye
    negative = ~same
    if miner == "batch-hard":
        hardest_p = (d * positive).max(1).values
        hardest_n = d.masked_fill(~negative, float("inf")).min(1).values
        return F.relu(hardest_p - hardest_n + margin).mean()
    a, p = positive.nonzero(as_tuple=True)
    dap = d[a, p][:, None]
    dan = d[a]
    neg = negative[a]
    if miner == "semi-hard":
        farther = neg & (dan > dap)
        semi = dan.masked_fill(~farther, float("inf")).min(1).values
        farthest = dan.masked_fill(~neg, -float("inf")).max(1).values
        chosen = torch.where(torch.isinf(semi), farthest, semi)
        return F.relu(dap[:, 0] - chosen + margin).mean()
    losses = F.relu(dap - dan + margin)[neg]
    active = (losses > 0).sum().clamp_min(1)
    return losses.sum() / active


def contrastive_loss(e, labels, margin):
    x = F.normalize(e, dim=1)
    d = pairwise(x, False)
    n = len(labels)
    upper = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
    same = (labels[:, None] == labels[None, :]).float()
    per_pair = same * d.pow(2) + (1 - same) * F.relu(margin - d).pow(2)
    return 0.5 * per_pair[upper].sum() / max(n * (n - 1) // 2, 1)


class Objective:
    def __init__(self, spec, classes, dim):
        self.spec = spec
        self.type = spec["type"]
        self.head = torch.nn.Linear(dim, classes) if self.type in ("softmax", "center") else None
        self.centres = torch.zeros(classes, dim) if self.type == "center" else None

    def loss(self, e, labels):
        s = self.spec
        if self.type == "triplet":
            return triplet_loss(e, labels, s.get("margin", 0.2), s.get("miner", "batch-hard"), s.get("squared", False))
        if self.type == "contrastive":
            return contrastive_loss(e, labels, s.get("margin", 0.5))
        ce = F.cross_entropy(self.head(e), labels)
        if self.type == "softmax":
            return ce
        pull = (e - self.centres[labels]).pow(2).sum(1).mean()
        return ce + s.get("lambda", 0.01) / 2 * pull

    def after_step(self, e, labels):
        if self.centres is None:
            return
        alpha = self.spec.get("alpha", 0.5)
        e = e.detach()
        for j in labels.unique():
            members = labels == j
            delta = (self.centres[j] - e[members]).sum(0) / (1 + members.sum())
            self.centres[j] -= alpha * delta


def pk_batches(train_labels, p, k, rng):
    by_class = {c: np.flatnonzero(train_labels == c) for c in np.unique(train_labels)}
    classes = list(by_class)
    p = min(p, len(classes))
    for _ in range(max(1, len(train_labels) // (p * k))):
        chosen = rng.choice(classes, p, replace=False)
        yield np.concatenate([rng.choice(by_class[c], k, replace=len(by_class[c]) < k) for c in chosen])


def embed(model, x):
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(x[i:i + 512]) for i in range(0, len(x), 512)])
    model.train()
    return F.normalize(out, dim=1)


def retrieval(vectors, labels):
    """Leave-one-out R@1 and MAP@R by cosine distance, as RetrievalEvaluator."""
    labels = torch.as_tensor(labels)
    similarity = vectors @ vectors.t()
    similarity.fill_diagonal_(-float("inf"))
    counts = torch.bincount(labels)
    r1, map_r = 0.0, 0.0
    for start in range(0, len(labels), 1024):
        rows = similarity[start:start + 1024]
        query = labels[start:start + 1024]
        relevant = counts[query] - 1
        top = rows.topk(int(relevant.max()), dim=1).indices
        hits = (labels[top] == query[:, None]).float()
        hits *= (torch.arange(hits.shape[1])[None, :] < relevant[:, None]).float()
        precision = hits.cumsum(1) / torch.arange(1, hits.shape[1] + 1)[None, :]
        map_r += ((precision * hits).sum(1) / relevant.clamp_min(1)).sum().item()
        r1 += hits[:, 0].sum().item()
    return r1 / len(labels), map_r / len(labels)


def pixels(name, data):
    """The baseline without any network: raw normalised pixels, compared by cosine."""
    flat = {key: F.normalize(data[key].flatten(1), dim=1) for key in ("seen_x", "unseen_x")}
    seen = retrieval(flat["seen_x"], data["seen_y"])
    unseen = retrieval(flat["unseen_x"], data["unseen_y"])
    print("\t".join(["train", "pytorch", name, "0", f"{seen[0]:.4f}", f"{seen[1]:.4f}", f"{unseen[0]:.4f}",
                     f"{unseen[1]:.4f}", "0", "0", "0"]), flush=True)


def train(name, spec, args, data):
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    build, _ = ARCHS[args.arch]
    model = build(args.dim)
    objective = Objective(spec, int(data["train_y"].max()) + 1, args.dim)
    if args.init == "he":
        for module in list(model.modules()) + ([objective.head] if objective.head else []):
            if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
                torch.nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
    parameters = list(model.parameters()) + (list(objective.head.parameters()) if objective.head else [])
    optimizer = torch.optim.Adam(parameters, lr=args.lr)
    batches_per_epoch = max(1, len(data["train_y"]) // (min(args.p, len(np.unique(data["train_y"]))) * args.k))
    total = args.epochs * batches_per_epoch
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda i: 1.0 if args.schedule == "constant"
                                                 else 0.5 * (1 + math.cos(math.pi * min(1.0, i / total))))
    train_x, train_y = data["train_x"], torch.as_tensor(data["train_y"])
    best, train_seconds, eval_seconds, samples = None, 0.0, 0.0, 0
    for epoch in range(args.epochs):
        started, loss_sum, batches = time.perf_counter(), 0.0, 0
        for batch in pk_batches(data["train_y"], args.p, args.k, rng):
            labels = train_y[batch]
            e = model(train_x[batch])
            loss = objective.loss(e, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            objective.after_step(e, labels)
            samples += len(batch)
            loss_sum, batches = loss_sum + loss.item(), batches + 1
        train_seconds += time.perf_counter() - started
        started = time.perf_counter()
        validation = (retrieval(embed(model, data["val_x"]), data["val_y"])[1]
                      + retrieval(embed(model, data["held_x"]), data["held_y"])[1]) / 2
        if best is None or validation > best[0]:
            best = (validation, epoch + 1, retrieval(embed(model, data["seen_x"]), data["seen_y"]),
                    retrieval(embed(model, data["unseen_x"]), data["unseen_y"]))
        eval_seconds += time.perf_counter() - started
        print(f"# {name} epoch {epoch + 1}: loss {loss_sum / batches:.4f} selection score {validation:.3f}",
              file=sys.stderr, flush=True)
    _, epoch, seen, unseen = best
    print("\t".join(["train", "pytorch", name, f"{samples / train_seconds:.1f}", f"{seen[0]:.4f}", f"{seen[1]:.4f}",
                     f"{unseen[0]:.4f}", f"{unseen[1]:.4f}", str(epoch), f"{train_seconds:.1f}",
                     f"{eval_seconds:.1f}"]), flush=True)


def load(args):
    train_x = read_idx(os.path.join(args.fashion, "train-images-idx3-ubyte.gz"))
    train_y = read_idx(os.path.join(args.fashion, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    test_x = read_idx(os.path.join(args.fashion, "t10k-images-idx3-ubyte.gz"))
    test_y = read_idx(os.path.join(args.fashion, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    held = [int(c) for c in args.held_out.split(",")]
    seen_classes = [c for c in range(10) if c not in held]
    rng = np.random.default_rng(args.seed)
    train_idx, val_idx = [], []
    for c in seen_classes:
        members = rng.permutation(np.flatnonzero(train_y == c))
        aside = round(len(members) * args.validation_fraction)
        val_idx += list(members[:aside])
        train_idx += list(members[aside:])
    held_idx = np.flatnonzero(np.isin(train_y, held))
    # at most EVALUATION_IMAGES each, as the service's imagesim.training.max-evaluation-images
    val_idx = np.sort(rng.permutation(val_idx)[:EVALUATION_IMAGES])
    held_idx = np.sort(rng.permutation(held_idx)[:EVALUATION_IMAGES])
    remap = {c: i for i, c in enumerate(seen_classes)}
    size = args.size or ARCHS[args.arch][1]
    seen_test = np.isin(test_y, seen_classes)
    return {
        "train_x": preprocess(train_x[train_idx], size),
        "train_y": np.array([remap[c] for c in train_y[train_idx]]),
        "val_x": preprocess(train_x[val_idx], size), "val_y": train_y[val_idx],
        "held_x": preprocess(train_x[held_idx], size), "held_y": train_y[held_idx],
        "seen_x": preprocess(test_x[seen_test], size), "seen_y": test_y[seen_test],
        "unseen_x": preprocess(test_x[~seen_test], size), "unseen_y": test_y[~seen_test],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fashion", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--held-out", default="6,7,8,9")
    parser.add_argument("--objectives", default="triplet;contrastive;center;softmax",
                        help="';'-separated: a type, or name=<objective JSON>")
    parser.add_argument("--arch", default="small3", choices=sorted(ARCHS))
    parser.add_argument("--size", type=int, help="input side in pixels (default: the architecture's)")
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--p", type=int, default=6)
    parser.add_argument("--k", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--schedule", default="constant", choices=["constant", "cosine"])
    parser.add_argument("--validation-fraction", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--init", default="pytorch", choices=["pytorch", "he"],
                        help="initial weights: PyTorch's defaults, or He normal (the service's SeededInitializer)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "2")))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    data = load(args)
    for entry in args.objectives.split(";"):
        name, _, text = entry.partition("=")
        spec = json.loads(text) if text else {"type": name}
        if spec["type"] == "pixels":
            pixels(name.strip(), data)
        else:
            train(name.strip(), spec, args, data)


if __name__ == "__main__":
    main()
