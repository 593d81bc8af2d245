"""Writes zoo_state_dicts.json: the PyTorch state_dict names and shapes, and parameter counts, of the zoo's
EfficientAT MobileNets (mn04, mn05, mn10, mn40) and CP-ResNet (cpresnet), built here in PyTorch after the
structure of fschmid56/EfficientAT (models/mn) and kkoutini/cpjku_dcase20 (models/cp_resnet.py).

Run from the repository root with Debian's Python, which has torch:
    /usr/bin/python3 tests/AudioPrune.Tests/Zoo/make_zoo_fixtures.py
"""
import json
import os
import sys

import torch
from torch import nn


def make_divisible(value, divisor=8):
    rounded = max(divisor, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def conv_norm_act(cin, cout, kernel, stride=1, groups=1, act=None):
    """torchvision's ConvNormActivation: Sequential(conv, bn[, act]) with a bias-free conv."""
    layers = [nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout, eps=0.001, momentum=0.01)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class SqueezeExcitation(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.fc1 = nn.Linear(channels, make_divisible(channels // 4))
        self.fc2 = nn.Linear(make_divisible(channels // 4), channels)

    def forward(self, x):
        scale = x.mean((2, 3))
        scale = torch.sigmoid(self.fc2(torch.relu(self.fc1(scale))))
        return x * scale[:, :, None, None]


class ConcurrentSE(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conc_se_layers = nn.ModuleList([SqueezeExcitation(channels)])

    def forward(self, x):
        return self.conc_se_layers[0](x)


# MobileNetV3-Large: in, kernel, expanded, out, squeeze-excitation, hardswish, stride
MOBILENET_V3_LARGE = [
    (16, 3, 16, 16, False, False, 1), (16, 3, 64, 24, False, False, 2), (24, 3, 72, 24, False, False, 1),
    (24, 5, 72, 40, True, False, 2), (40, 5, 120, 40, True, False, 1), (40, 5, 120, 40, True, False, 1),
    (40, 3, 240, 80, False, True, 2), (80, 3, 200, 80, False, True, 1), (80, 3, 184, 80, False, True, 1),
    (80, 3, 184, 80, False, True, 1), (80, 3, 480, 112, True, True, 1), (112, 3, 672, 112, True, True, 1),
    (112, 5, 672, 160, True, True, 2), (160, 5, 960, 160, True, True, 1), (160, 5, 960, 160, True, True, 1),
]


class InvertedResidual(nn.Module):
    def __init__(self, row, width):
        super().__init__()
        cin, kernel, expanded, cout, se, hs, stride = row
        cin, expanded, cout = (make_divisible(c * width) for c in (cin, expanded, cout))
        act = nn.Hardswish if hs else nn.ReLU
        layers = []
        if expanded != cin:
            layers.append(conv_norm_act(cin, expanded, 1, act=act))
        layers.append(conv_norm_act(expanded, expanded, kernel, stride, groups=expanded, act=act))
        if se:
            layers.append(ConcurrentSE(expanded))
        layers.append(conv_norm_act(expanded, cout, 1))
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.block(x)
        return y + x if self.residual else y


class MobileNet(nn.Module):
    def __init__(self, width, classes=527):
        super().__init__()
        first = make_divisible(16 * width)
        last_in = make_divisible(160 * width)
        layers = [conv_norm_act(1, first, 3, 2, act=nn.Hardswish)]
        layers += [InvertedResidual(row, width) for row in MOBILENET_V3_LARGE]
        layers.append(conv_norm_act(last_in, 6 * last_in, 1, act=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        hidden = make_divisible(1280 * width)
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(6 * last_in, hidden),
                                        nn.Hardswish(), nn.Dropout(0.2), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, k1, k2):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, k1, padding=k1 // 3, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, k2, padding=k2 // 3, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if cin != cout:
            self.shortcut.add_module("conv", nn.Conv2d(cin, cout, 1, bias=False))
            self.shortcut.add_module("bn", nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
        return torch.relu(y + self.shortcut(x))


def cp_resnet_kernels(rho):
    """get_model_based_on_rho's k1s/k2s tables, stage after stage, block after block, k1 then k2."""
    e = rho - 7
    k1s = [[3, 3 - (-e > 6) * 2, 3 - (-e > 4) * 2, 3 - (-e > 2) * 2],
           [3 - (-e > 0) * 2, 1 + (e > 1) * 2, 1 + (e > 3) * 2, 1 + (e > 5) * 2],
           [1 + (e > 7) * 2, 1 + (e > 9) * 2, 1 + (e > 11) * 2, 1 + (e > 13) * 2]]
    k2s = [[1, 3 - (-e > 5) * 2, 3 - (-e > 3) * 2, 3 - (-e > 1) * 2],
           [1 + (e > 0) * 2, 1 + (e > 2) * 2, 1 + (e > 4) * 2, 1 + (e > 6) * 2],
           [1 + (e > 8) * 2, 1 + (e > 10) * 2, 1 + (e > 12) * 2, 1 + (e > 14) * 2]]
    return k1s, k2s


class CpResNet(nn.Module):
    def __init__(self, rho=7, classes=10, in_channels=1):
        super().__init__()
        channels = [128, 256, 512]
        k1s, k2s = cp_resnet_kernels(rho)
        self.in_c = nn.Sequential(nn.Conv2d(in_channels, 128, 5, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(True))
        cin = 128
        for s, cout in enumerate(channels):
            stage = nn.Sequential()
            for b in range(4):
                stage.add_module(f"block{b + 1}", BasicBlock(cin, cout, k1s[s][b], k2s[s][b]))
                cin = cout
                if s == 0 and b + 1 in (1, 2, 4):
                    stage.add_module(f"maxpool{b + 1}_{(1, 2, 4).index(b + 1)}", nn.MaxPool2d(2, 2))
            setattr(self, f"stage{s + 1}", stage)
        self.feed_forward = nn.Sequential(nn.Conv2d(512, classes, 1, bias=False), nn.BatchNorm2d(classes),
                                          nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        x = self.stage3(self.stage2(self.stage1(self.in_c(x))))
        return self.feed_forward(x).flatten(1)


def describe(model, input_shape):
    with torch.no_grad():
        out = model.eval()(torch.zeros(1, *input_shape))
    state = [[name, list(t.shape)] for name, t in model.state_dict().items() if not name.endswith("num_batches_tracked")]
    return {
        "input": list(input_shape),
        "output": list(out.shape[1:]),
        "trainable": sum(p.numel() for p in model.parameters()),
        "total": sum(t.numel() for name, t in model.state_dict().items() if not name.endswith("num_batches_tracked")),
        "state_dict": state,
    }


def main():
    torch.manual_seed(0)
    networks = {name: describe(MobileNet(width), (1, 128, 1000))
                for name, width in [("mn04", 0.4), ("mn05", 0.5), ("mn10", 1.0), ("mn40", 4.0)]}
    networks["cpresnet"] = describe(CpResNet(), (1, 256, 431))
    fixture = {"made_by": "make_zoo_fixtures.py", "torch": torch.__version__,
               "python": sys.version.split()[0], "networks": networks}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoo_state_dicts.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    for name, n in networks.items():
        print(name, n["trainable"], n["total"], n["output"])


if __name__ == "__main__":
    main()
