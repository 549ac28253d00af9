#!/usr/bin/env python3
"""Makes the TorchScript modules that must not be served channels-last, with Debian's python3-torch (CPU).
Both take the tiny-torchscript fixture's input (3x32x32) and give 16 values; the Java test loads them with
that fixture's manifest pointed at these files.

  view.pt     conv 3->4 (stride 4), ReLU, x.view(n, -1), linear 256->16: view() needs NCHW memory and fails
              on a channels-last activation
  strided.pt  the same, flattened with as_strided over the raw memory: no error, but a channels-last
              activation gives other values

    /usr/bin/python3 make_fixtures.py
"""
import torch

torch.manual_seed(11)


class View(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, stride=4, padding=1)
        self.fc = torch.nn.Linear(256, 16)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        return self.fc(x.view(x.size(0), -1))


class Strided(View):
    def forward(self, x):
        x = torch.relu(self.conv(x))
        n = x.size(0)
        return self.fc(torch.as_strided(x, [n, 256], [256, 1]))


for name, module in [("view.pt", View()), ("strided.pt", Strided())]:
    torch.jit.script(module.eval()).save(name)
    x = torch.randn(8, 3, 32, 32)
    with torch.no_grad():
        module(x)
        try:
            module(x.contiguous(memory_format=torch.channels_last))
            print(name, "runs channels-last")
        except RuntimeError as e:
            print(name, "fails channels-last:", str(e).splitlines()[0])
