#!/usr/bin/env python3
"""Exports a pretrained image encoder to an imagesim model bundle (TorchScript or ONNX, and a manifest),
ready for `POST /api/v1/models` or `imagesim.model.sources`.

    python3 scripts/export_trunk.py torchvision:resnet50 --out resnet50.zip
    python3 scripts/export_trunk.py torchvision:efficientnet_b0 --weights random --out effnet-random.zip
    python3 scripts/export_trunk.py timm:convnext_tiny --out convnext.zip
    python3 scripts/export_trunk.py open_clip:ViT-B-32/laion2b_s34b_b79k --out clip-b32.zip
    python3 scripts/export_trunk.py torchvision:resnet50 --format onnx --out resnet50-onnx.zip
    curl -H "X-API-Key: $KEY" -F bundle=@resnet50.zip http://localhost:8080/api/v1/models

MODEL is FAMILY:NAME:
  torchvision:  resnet18, resnet34, resnet50, resnet101, vgg11, vgg16, mobilenet_v3_small,
                mobilenet_v3_large, efficientnet_b0 ... efficientnet_b7
  timm:         any timm model name (timm installed)
  open_clip:    ARCH/PRETRAINED-TAG, the image tower of an OpenCLIP model (open_clip installed)
  test:         tiny, a seeded 3-stage CNN at 32 px that needs no download (the service's test fixture)

The trunk ends pooled and flat, so its output is the embedding (classifier heads are dropped); its stages
are the TorchScript module's top-level children, which a training job's trunk.freezeStages counts. The
manifest carries the preprocessing the weights expect (mean, std, input and resize size), and the bundle a
probe image with the embedding PyTorch computes for it: the service refuses the bundle at import if its own
preprocessing and libtorch do not reproduce that embedding. --weights random exports the architecture with
random weights (no download), which is how the script is tested where no weights can be fetched.
--format onnx writes an ONNX graph instead (opset 13, dynamic batch): it serves, but only TorchScript
trunks can be fine-tuned by the service.
"""
import argparse
import json
import os
import sys
import tempfile
import zipfile

import numpy as np
import torch
from PIL import Image

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


class Trunk(torch.nn.Sequential):
    """Stages in order, then global average pooling and flattening."""

    def __init__(self, stages):
        super().__init__(*stages, torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(1)))


class Encoder(torch.nn.Module):
    """An encoder that already ends flat (timm without classifier, an OpenCLIP image tower)."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, x):
        return self.encoder(x)


def torchvision_trunk(name, pretrained):
    import torchvision
    from torchvision.models import get_model_weights

    weights_enum = get_model_weights(name)
    weights = weights_enum.DEFAULT
    model = getattr(torchvision.models, name)(weights=weights if pretrained else None).eval()
    if name.startswith("resnet"):
        stem = torch.nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool)
        trunk = Trunk([stem, model.layer1, model.layer2, model.layer3, model.layer4])
        dim = model.fc.in_features
    elif name.startswith("vgg"):
        blocks, block = [], []
        for layer in model.features:
            block.append(layer)
            if isinstance(layer, torch.nn.MaxPool2d):
                blocks.append(torch.nn.Sequential(*block))
                block = []
        trunk = Trunk(blocks)
        dim = 512
    elif name.startswith("mobilenet") or name.startswith("efficientnet"):
        trunk = Trunk(list(model.features))
        dim = model.features[-1].out_channels if hasattr(model.features[-1], "out_channels") \
            else model.features[-1][0].out_channels
    else:
        sys.exit("unsupported torchvision model " + name)
    transforms = weights.transforms()
    return trunk, dim, {
        "mean": list(transforms.mean), "std": list(transforms.std),
        "inputSize": transforms.crop_size[0], "resizeSize": transforms.resize_size[0],
        "weights": str(weights) if pretrained else "random initialisation",
    }


def timm_trunk(name, pretrained):
    import timm

    model = timm.create_model(name, pretrained=pretrained, num_classes=0).eval()
    config = timm.data.resolve_data_config({}, model=model)
    size = config["input_size"][-1]
    return Encoder(model), model.num_features, {
        "mean": list(config["mean"]), "std": list(config["std"]), "inputSize": size,
        "resizeSize": int(round(size / config.get("crop_pct", 1.0))),
        "weights": (model.pretrained_cfg.get("hf_hub_id") or name) if pretrained else "random initialisation",
    }


def open_clip_trunk(name, pretrained):
    import open_clip

    arch, _, tag = name.partition("/")
    model = open_clip.create_model(arch, pretrained=tag if pretrained and tag else None).eval()
    visual = model.visual
    size = visual.image_size[0] if isinstance(visual.image_size, (tuple, list)) else visual.image_size
    return Encoder(visual), visual.output_dim, {
        "mean": list(getattr(visual, "image_mean", None) or open_clip.OPENAI_DATASET_MEAN),
        "std": list(getattr(visual, "image_std", None) or open_clip.OPENAI_DATASET_STD),
        "inputSize": size, "resizeSize": size,
        "weights": (arch + "/" + tag) if pretrained else "random initialisation",
    }


def tiny_trunk(name, pretrained):
    if name != "tiny":
        sys.exit("the test family has one model: tiny")
    torch.manual_seed(11)

    def stage(cin, cout):
        return torch.nn.Sequential(torch.nn.Conv2d(cin, cout, 3, padding=1), torch.nn.BatchNorm2d(cout),
                                   torch.nn.ReLU(), torch.nn.MaxPool2d(2))

    trunk = Trunk([stage(3, 8), stage(8, 16), stage(16, 32)])
    with torch.no_grad():  # non-trivial running statistics, so that eval-mode normalisation matters
        for module in trunk.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
    return trunk.eval(), 32, {"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25], "inputSize": 32,
                              "resizeSize": 36, "weights": "seeded random initialisation (torch.manual_seed(11))"}


FAMILIES = {"torchvision": torchvision_trunk, "timm": timm_trunk, "open_clip": open_clip_trunk, "test": tiny_trunk}


def to_torchscript(trunk, size):
    example = torch.zeros(2, 3, size, size)
    try:
        return torch.jit.script(trunk), "scripted"
    except Exception:  # noqa: BLE001 - many encoders only trace
        return torch.jit.trace(trunk, example), "traced"


def probe_image(resize):
    y, x = np.mgrid[0:resize, 0:resize]
    rgb = np.stack([(x * 255 // max(1, resize - 1)), (y * 255 // max(1, resize - 1)),
                    ((x // 8 + y // 8) % 2) * 200 + 20], axis=-1).astype(np.uint8)
    return rgb


def embed_probe(module, rgb, preprocessing):
    size, resize = preprocessing["inputSize"], preprocessing["resizeSize"]
    top = (resize - size) // 2
    crop = rgb[top:top + size, top:top + size]
    tensor = torch.from_numpy(crop.copy()).permute(2, 0, 1).float() / 255.0
    tensor = (tensor - torch.tensor(preprocessing["mean"])[:, None, None]) / torch.tensor(preprocessing["std"])[:, None, None]
    with torch.no_grad():
        out = module(tensor.unsqueeze(0))[0]
    return out / out.norm()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", help="FAMILY:NAME, e.g. torchvision:resnet50")
    parser.add_argument("--out", required=True, help="a .zip file, or a directory to write the bundle into")
    parser.add_argument("--id", help="model id (default: derived from MODEL)")
    parser.add_argument("--weights", choices=["pretrained", "random"], default="pretrained")
    parser.add_argument("--description")
    parser.add_argument("--format", choices=["torchscript", "onnx"], default="torchscript")
    args = parser.parse_args()

    family, _, name = args.model.partition(":")
    if family not in FAMILIES or not name:
        sys.exit("MODEL must be FAMILY:NAME with FAMILY one of " + ", ".join(FAMILIES))
    pretrained = args.weights == "pretrained" and family != "test"
    trunk, dim, preprocessing = FAMILIES[family](name, pretrained)
    trunk = trunk.eval()
    module, how = to_torchscript(trunk, preprocessing["inputSize"])
    rgb = probe_image(preprocessing["resizeSize"])
    embedding = embed_probe(module, rgb, preprocessing)
    onnx = args.format == "onnx"
    weights = "model.onnx" if onnx else "model.pt"
    if embedding.numel() != dim:
        sys.exit(f"the trunk gives {embedding.numel()} values, expected {dim}")
    model_id = args.id or ("-".join([family, name.replace("/", "-")])
                           + ("" if pretrained or family == "test" else "-random")
                           + ("-onnx" if onnx else "")).replace("_", "-").lower()
    manifest = {
        "id": model_id,
        "description": args.description or f"{family} {name} image encoder ({preprocessing['weights']})",
        "architecture": args.format,
        "inputSize": preprocessing["inputSize"],
        "resizeSize": preprocessing["resizeSize"],
        "channels": 3,
        "mean": [round(float(v), 6) for v in preprocessing["mean"]],
        "std": [round(float(v), 6) for v in preprocessing["std"]],
        "embeddingDim": dim,
        "distance": "cosine",
        "weights": weights,
        "trained": pretrained,
        "provenance": f"scripts/export_trunk.py {args.model} ({preprocessing['weights']}), torch {torch.__version__}, {'ONNX opset 13' if onnx else how}",
    }
    with tempfile.TemporaryDirectory() as work:
        if onnx:
            size = preprocessing["inputSize"]
            torch.onnx.export(trunk, torch.zeros(1, 3, size, size), os.path.join(work, weights), opset_version=13,
                              input_names=["image"], output_names=["embedding"],
                              dynamic_axes={"image": {0: "batch"}, "embedding": {0: "batch"}})
        else:
            module.save(os.path.join(work, weights))
        Image.fromarray(rgb, "RGB").save(os.path.join(work, "probe.png"))
        with open(os.path.join(work, "expected.json"), "w") as f:
            json.dump({"embedding": [round(float(v), 6) for v in embedding]}, f)
        with open(os.path.join(work, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        files = ["manifest.json", weights, "probe.png", "expected.json"]
        if args.out.endswith(".zip"):
            with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as bundle:
                for file in files:
                    bundle.write(os.path.join(work, file), file)
        else:
            os.makedirs(args.out, exist_ok=True)
            for file in files:
                os.replace(os.path.join(work, file), os.path.join(args.out, file))
    print(f"{args.out}: {model_id}, {dim}-d, {preprocessing['inputSize']} px, {'onnx' if onnx else how}")


if __name__ == "__main__":
    main()
