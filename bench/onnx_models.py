"""Writes the ONNX models the import and group-pruning benchmarks read: torchvision's resnet18 (about 45 MB, the
size the import target is set for) and mobilenet_v2, each with a one-channel stem for log-mel input (1 x 64 x 100),
exported by PyTorch with batch norm kept, as the README tells users to export. Run by bench/run with Debian's
python3 (python3-torch, python3-torchvision); the files are generated, not checked in.

Usage: python3 bench/onnx_models.py OUT_DIR
"""
import sys
from pathlib import Path

import torch
import torchvision


def one_channel_stem(conv: torch.nn.Conv2d) -> torch.nn.Conv2d:
    return torch.nn.Conv2d(1, conv.out_channels, conv.kernel_size, conv.stride, conv.padding, bias=conv.bias is not None)


def export(model: torch.nn.Module, path: Path) -> None:
    model.eval()
    x = torch.randn(1, 1, 64, 100)
    torch.onnx.export(model, x, str(path), opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    resnet = torchvision.models.resnet18(weights=None, num_classes=10)
    resnet.conv1 = one_channel_stem(resnet.conv1)
    export(resnet, out / "resnet18.onnx")
    mobilenet = torchvision.models.mobilenet_v2(weights=None, num_classes=10)
    mobilenet.features[0][0] = one_channel_stem(mobilenet.features[0][0])
    export(mobilenet, out / "mobilenet_v2.onnx")
    for name in ("resnet18.onnx", "mobilenet_v2.onnx"):
        print(f"{name}: {(out / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
