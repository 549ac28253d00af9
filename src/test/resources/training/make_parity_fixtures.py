#!/usr/bin/env python3
"""Writes the two parity fixtures that the service's training is checked against, with plain PyTorch (Debian's
python3-torch), using the losses of bench/pytorch_train_bench.py, the peer of the training benchmark:

objective-parity.json (ObjectiveParityTest): each objective's loss and its gradients on one fixed P x K batch of
embeddings (and classifier weights and centres), and the centres after center loss's update.

training-parity.json (TrainingParityTest): the service's small CNN (the peer's "cnn", the twin of TrunkFactory's)
trained a few Adam steps on one fixed P x K batch with each objective, from weights and images that a formula
gives, so the Java side rebuilds exactly the same start without a weight file; the loss before every step and,
after the last, the embeddings of the batch in inference mode (batch-norm running statistics).

    /usr/bin/python3 src/test/resources/training/make_parity_fixtures.py
"""
import importlib.util
import json
import math
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "peer", os.path.join(HERE, "..", "..", "..", "..", "bench", "pytorch_train_bench.py"))
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)


def write(name, fixture, case_key):
    with open(os.path.join(HERE, name), "w") as f:
        f.write(json.dumps(fixture, separators=(",", ":")).replace(',{"' + case_key + '"', ',\n{"' + case_key + '"') + "\n")


# objective-parity.json
P, K, DIM, CLASSES = 4, 4, 8, 6


def rounded(tensor):
    return [round(v, 7) for v in tensor.detach().reshape(-1).tolist()]


def case(name, objective_spec, embedding, labels, head=None, centres=None):
    e = embedding.clone().requires_grad_(True)
    objective = peer.Objective(objective_spec, CLASSES, DIM)
    out = {"name": name, "objective": objective_spec}
    if objective.head is not None:
        with torch.no_grad():
            objective.head.weight.copy_(head[0])
            objective.head.bias.copy_(head[1])
        out["headWeight"] = rounded(head[0])
        out["headBias"] = rounded(head[1])
    if objective.centres is not None:
        objective.centres.copy_(centres)
        out["centres"] = rounded(centres)
    loss = objective.loss(e, labels)
    loss.backward()
    out["loss"] = loss.item()
    out["embeddingGradient"] = rounded(e.grad)
    if objective.head is not None:
        out["headWeightGradient"] = rounded(objective.head.weight.grad)
    if objective.centres is not None:
        objective.after_step(e, labels)
        out["centresAfterStep"] = rounded(objective.centres)
    return out


def objective_parity():
    torch.manual_seed(3)
    labels = torch.tensor([c for c in (0, 2, 3, 5) for _ in range(K)])
    # clustered by class but overlapping, so every miner finds hard, semi-hard and easy negatives
    means = torch.randn(CLASSES, DIM)
    embedding = (means[labels] + 1.2 * torch.randn(P * K, DIM)) * 0.7
    head = (torch.randn(CLASSES, DIM) * 0.3, torch.randn(CLASSES) * 0.1)
    centres = torch.randn(CLASSES, DIM) * 0.5
    cases = [case("softmax", {"type": "softmax"}, embedding, labels, head=head),
             case("center", {"type": "center", "lambda": 0.5, "alpha": 0.5}, embedding, labels, head, centres)]
    for margin in (0.5, 1.2):
        cases.append(case(f"contrastive-{margin}", {"type": "contrastive", "margin": margin}, embedding, labels))
    for miner in ("batch-hard", "semi-hard", "batch-all"):
        for squared in (False, True):
            cases.append(case(f"triplet-{miner}-{'squared' if squared else 'plain'}",
                              {"type": "triplet", "miner": miner, "squared": squared, "margin": 0.2},
                              embedding, labels))
    fixture = {"labels": labels.tolist(), "dimension": DIM, "classes": CLASSES,
               "embedding": rounded(embedding), "cases": cases}
    write("objective-parity.json", fixture, "name")


# training-parity.json
TP, TK, TDIM, SIZE, STEPS, RATE = 4, 4, 16, 32, 4, 1e-3


def uniform(k, i):
    """A value in [-1, 1) for element i of parameter k: integer arithmetic, the same in Java."""
    return 2 * ((i * 7919 + k * 104729 + 13) % 1009) / 1009.0 - 1


def formula_weights(modules):
    """Sets every trainable parameter, in the order DJL lists them, from the formula."""
    k = 0
    for module in modules:
        if isinstance(module, (torch.nn.Conv2d, torch.nn.Linear)):
            fan_in = module.weight[0].numel()
            pairs = [(module.weight, lambda v: v * math.sqrt(3 / fan_in))]
            if module.bias is not None:
                pairs.append((module.bias, lambda v: 0.05 * v))
        elif isinstance(module, torch.nn.BatchNorm2d):
            pairs = [(module.weight, lambda v: 1 + 0.1 * v), (module.bias, lambda v: 0.1 * v)]
        else:
            continue
        for parameter, scale in pairs:
            values = [scale(uniform(k, i)) for i in range(parameter.numel())]
            with torch.no_grad():
                parameter.copy_(torch.tensor(values, dtype=torch.float64).float().reshape(parameter.shape))
            k += 1


def images():
    values = [2 * ((i * 7919 + 7) % 251) / 251.0 - 1 for i in range(TP * TK * SIZE * SIZE)]
    return torch.tensor(values, dtype=torch.float64).float().reshape(TP * TK, 1, SIZE, SIZE)


def run(objective_spec, x, labels):
    model = peer.ARCHS["cnn"][0](TDIM)
    objective = peer.Objective(objective_spec, TP, TDIM)
    formula_weights(list(model.modules()) + ([objective.head] if objective.head else []))
    parameters = list(model.parameters()) + (list(objective.head.parameters()) if objective.head else [])
    optimizer = torch.optim.Adam(parameters, lr=RATE)
    losses = []
    model.train()
    for _ in range(STEPS):
        e = model(x)
        loss = objective.loss(e, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        objective.after_step(e, labels)
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        after = model(x)
    return {"objective": objective_spec, "losses": losses,
            "embeddingsAfter": [round(v, 6) for v in after.reshape(-1).tolist()]}


def training_parity():
    labels = torch.tensor([c for c in range(TP) for _ in range(TK)])
    x = images()
    objectives = [{"type": "softmax"}, {"type": "center", "lambda": 0.5, "alpha": 0.5},
                  {"type": "contrastive", "margin": 0.5}]
    objectives += [{"type": "triplet", "miner": miner, "squared": squared, "margin": 0.2}
                   for miner in ("batch-hard", "semi-hard", "batch-all") for squared in (False, True)]
    fixture = {"p": TP, "k": TK, "dimension": TDIM, "size": SIZE, "learningRate": RATE,
               "cases": [run(o, x, labels) for o in objectives]}
    write("training-parity.json", fixture, "objective")


if __name__ == "__main__":
    objective_parity()
    training_parity()
