#!/usr/bin/env python3
"""Makes the TorchScript test fixture with Debian's python3-torch (CPU):

  trunk.pt       a tiny seeded CNN (conv 3->8, ReLU, global average pool, linear 8->16), traced
  probe.png      a 32x32 RGB test image
  expected.json  the L2-normalised embedding PyTorch computes for probe.png after the manifest's
                 normalisation; the Java test checks DJL reproduces it

    /usr/bin/python3 make_fixture.py
"""
import json

import numpy as np
import torch
from PIL import Image

torch.manual_seed(7)
MEAN, STD = [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.fc = torch.nn.Linear(8, 16)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = torch.nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


model = Tiny().eval()
traced = torch.jit.trace(model, torch.zeros(1, 3, 32, 32))
traced.save("trunk.pt")

y, x = np.mgrid[0:32, 0:32]
probe = np.stack([(x * 8) % 256, (y * 8) % 256, ((x + y) * 4) % 256], axis=-1).astype(np.uint8)
Image.fromarray(probe, "RGB").save("probe.png")

tensor = torch.from_numpy(probe).permute(2, 0, 1).float() / 255.0
tensor = (tensor - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]
with torch.no_grad():
    out = traced(tensor.unsqueeze(0))[0]
out = out / out.norm()
with open("expected.json", "w") as f:
    json.dump({"embedding": [round(float(v), 6) for v in out]}, f)
print("ok", out[:4])
