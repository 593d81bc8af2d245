#!/usr/bin/python3
"""Makes the ONNX test fixtures of AudioPrune with real PyTorch.

Run from the repository root with Debian's Python (it has torch, torchvision and onnx):

    /usr/bin/python3 tests/AudioPrune.Tests/Interop/OnnxFixtures/make_fixtures.py

It rewrites every fixture in the folder of this script. The tests never run it: they read the
files it wrote, which are checked in. Everything is seeded and runs on one CPU thread, so a second
run writes the same bytes (the script checks nothing of that itself; see README.md).

For each network NAME it writes
    NAME.onnx         opset 13, batch dimension dynamic ("batch"), BatchNormalization kept
                      (training=PRESERVE on an eval-mode model, no constant folding)
    NAME.input.bin    the input, float32 little-endian, C order, shape 2x1x64x100
    NAME.output.bin   the eval-mode PyTorch output for that input, float32 little-endian
    NAME.json         shapes, ONNX op types, parameter count, conv/bn/linear module paths, notes
and for resnet_small also resnet_small-folded.onnx (default export: batch norm folded into the convs).
bad/ holds files that an importer must refuse, each with a .json that says why.

Each .onnx is checked with onnx.checker, its inferred output shape is compared with the recorded one,
and the graph is run by a small interpreter below (torch.nn.functional per ONNX node, not the
PyTorch modules) whose result must match NAME.output.bin.
"""

import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import warnings

import numpy as np
import onnx
import onnx.numpy_helper
import onnx.shape_inference
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
BAD = os.path.join(HERE, "bad")
OPSET = 13
INPUT_SHAPE = (2, 1, 64, 100)  # batch x channel x mel bands x frames
NUM_CLASSES = 10
MAX_FILE_BYTES = 1_500_000

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
warnings.filterwarnings("ignore")


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------

def conv_bn(cin, cout, k=3, stride=1, groups=1, act=None):
    layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act is not None:
        layers.append(act())
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    """ResNet BasicBlock (CP-ResNet / PANNs ResNet style); projection shortcut when shape changes."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 16, 3, 1, act=lambda: nn.ReLU(inplace=True))
        self.layer1 = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 16))          # identity shortcuts
        self.layer2 = nn.Sequential(BasicBlock(16, 32, stride=2), BasicBlock(32, 32))  # strided 1x1 projection
        self.layer3 = nn.Sequential(BasicBlock(32, 48, stride=2))                     # strided 1x1 projection
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(48, NUM_CLASSES)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


class InvertedResidualV2(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.use_res = stride == 1 and cin == cout
        layers = []
        if expand != 1:
            layers.append(conv_bn(cin, hidden, 1, act=nn.ReLU6))                       # 1x1 expand
        layers.append(conv_bn(hidden, hidden, 3, stride, groups=hidden, act=nn.ReLU6))  # 3x3 depthwise
        layers.append(conv_bn(hidden, cout, 1))                                       # 1x1 project, linear
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(1, 16, 3, 2, act=nn.ReLU6)
        self.blocks = nn.Sequential(
            InvertedResidualV2(16, 16, 1, 1),   # no expand conv, residual
            InvertedResidualV2(16, 24, 2, 2),   # stride 2, no residual
            InvertedResidualV2(24, 24, 1, 2),   # residual
            InvertedResidualV2(24, 32, 2, 2),   # stride 2, no residual
            InvertedResidualV2(32, 32, 1, 2),   # residual
        )
        self.head = conv_bn(32, 48, 1, act=nn.ReLU6)
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(48, NUM_CLASSES)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        x = x.mean(dim=(2, 3))  # global average pool as ReduceMean
        return self.fc(self.dropout(x))


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, squeeze):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.gate = nn.Hardsigmoid()

    def forward(self, x):
        s = self.gate(self.fc2(self.relu(self.fc1(self.avgpool(x)))))
        return x * s


class InvertedResidualV3(nn.Module):
    """EfficientAT-style MobileNetV3 block: expand, depthwise, squeeze-excitation, project."""

    def __init__(self, cin, exp, cout, k, stride, se, act):
        super().__init__()
        self.use_res = stride == 1 and cin == cout
        self.expand = conv_bn(cin, exp, 1, act=act) if exp != cin else None
        self.depthwise = conv_bn(exp, exp, k, stride, groups=exp, act=act)
        self.se = SqueezeExcitation(exp, max(8, exp // 4)) if se else None
        self.project = conv_bn(exp, cout, 1)

    def forward(self, x):
        y = x if self.expand is None else self.expand(x)
        y = self.depthwise(y)
        if self.se is not None:
            y = self.se(y)
        y = self.project(y)
        return x + y if self.use_res else y


class MobileNetV3SE(nn.Module):
    def __init__(self):
        super().__init__()
        hs, re = nn.Hardswish, lambda: nn.ReLU(inplace=True)
        self.stem = conv_bn(1, 16, 3, 2, act=hs)
        self.blocks = nn.Sequential(
            InvertedResidualV3(16, 16, 16, 3, 1, True, re),   # no expand, SE, residual
            InvertedResidualV3(16, 48, 24, 3, 2, False, re),  # stride 2
            InvertedResidualV3(24, 48, 24, 3, 1, False, re),  # residual
            InvertedResidualV3(24, 48, 32, 5, 2, True, hs),   # 5x5 depthwise, stride 2, SE
            InvertedResidualV3(32, 64, 32, 5, 1, True, hs),   # 5x5 depthwise, SE, residual
        )
        self.head = conv_bn(32, 64, 1, act=hs)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, NUM_CLASSES)

    def forward(self, x):
        x = self.pool(self.head(self.blocks(self.stem(x))))
        return self.fc(torch.flatten(x, 1))


class ConcatNet(nn.Module):
    """Inception branches concatenated on channels, a split on channels, a channel slice, a dense concat."""

    def __init__(self):
        super().__init__()
        relu = lambda: nn.ReLU(inplace=True)
        self.stem = conv_bn(1, 16, 3, 1, act=nn.SiLU)
        self.b1 = conv_bn(16, 8, 1, act=relu)
        self.b2 = nn.Sequential(conv_bn(16, 8, 1, act=relu), conv_bn(8, 12, 3, act=relu))
        self.b3_pool = nn.MaxPool2d(3, 1, 1)
        self.b3 = conv_bn(16, 8, 1, act=relu)
        self.b4_pool = nn.AvgPool2d(3, 1, 1)
        self.b4 = conv_bn(16, 4, 1, act=relu)
        self.reduce = conv_bn(32, 32, 3, 2, act=nn.GELU)           # reads cat(b1, b2, b3, b4) = 8+12+8+4
        self.split_a = conv_bn(12, 16, 3, act=relu)                # reads channels 0..11 of reduce
        self.split_b = conv_bn(20, 16, 1, act=nn.SiLU)             # reads channels 12..31 of reduce
        self.slice_conv = conv_bn(8, 8, 3, 2, act=relu)            # reads channels 0..7 of cat(a, b)
        self.down = nn.MaxPool2d(2, 2)
        self.dense = conv_bn(32, 16, 3, act=relu)                  # dense: cat(x, dense(x))
        self.fuse = conv_bn(56, 32, 1, act=nn.GELU)                # reads cat(pooled 32, dense 16, slice 8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, NUM_CLASSES)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.b1(x), self.b2(x), self.b3(self.b3_pool(x)), self.b4(self.b4_pool(x))], dim=1)
        x = self.reduce(x)
        a, b = torch.split(x, [12, 20], dim=1)
        x = torch.cat([self.split_a(a), self.split_b(b)], dim=1)    # 32 channels
        s = self.slice_conv(x[:, :8])
        x = self.down(x)
        x = torch.cat([x, self.dense(x), s], dim=1)                 # 32 + 16 + 8
        x = self.pool(self.fuse(x))
        return self.fc(torch.flatten(x, 1))


class PlainFlatten(nn.Module):
    """Classic conv-pool stack; flatten of a C x H x W map written as x.view(x.size(0), -1)."""

    def __init__(self):
        super().__init__()
        self.conv1 = conv_bn(1, 8, 3, act=lambda: nn.LeakyReLU(0.1))
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = conv_bn(8, 16, 3, act=nn.Tanh)
        self.pool2 = nn.MaxPool2d(2)
        self.conv3 = conv_bn(16, 16, 3, act=nn.ReLU)
        self.pool3 = nn.AvgPool2d(4)                 # 16 x 25 -> 4 x 6
        self.fc1 = nn.Linear(16 * 4 * 6, 32)
        self.fc2 = nn.Linear(32, NUM_CLASSES)

    def forward(self, x):
        x = self.pool3(self.conv3(self.pool2(self.conv2(self.pool1(self.conv1(x))))))
        x = x.view(x.size(0), -1)
        x = torch.relu(self.fc1(x))
        return torch.sigmoid(self.fc2(x))            # multi-label tagging output


def torchvision_mobilenet_v3_small():
    m = torchvision.models.mobilenet_v3_small(weights=None, width_mult=0.25, num_classes=NUM_CLASSES)
    old = m.features[0][0]
    m.features[0][0] = nn.Conv2d(1, old.out_channels, old.kernel_size, old.stride, old.padding,
                                 dilation=old.dilation, groups=old.groups, bias=old.bias is not None)
    return m


class TinyConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = conv_bn(1, 8, 3, act=nn.ReLU)
        self.conv2 = conv_bn(8, 16, 3, 2, act=nn.ReLU)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, NUM_CLASSES)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.conv2(self.conv1(x))), 1))


class ConvLstm(nn.Module):
    """CRNN: conv, mean over mel bands, LSTM over frames. LSTM is outside the supported op list."""

    def __init__(self):
        super().__init__()
        self.conv = conv_bn(1, 8, 3, act=nn.ReLU)
        self.lstm = nn.LSTM(8, 16, batch_first=True)
        self.fc = nn.Linear(16, NUM_CLASSES)

    def forward(self, x):
        x = self.conv(x).mean(dim=2).permute(0, 2, 1)   # B x T x C
        y, _ = self.lstm(x)
        return self.fc(y[:, -1])


class MlpOnly(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, NUM_CLASSES)

    def forward(self, x):
        x = torch.flatten(x.mean(dim=3), 1)              # B x 64 mel bands
        return self.fc2(torch.relu(self.fc1(x)))


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def randomize_batchnorm(model, gen):
    """Non-trivial running statistics and affine parameters, so batch-norm import bugs show."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                c = m.num_features
                m.running_mean.copy_(torch.randn(c, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.5)   # in [0.5, 2.0)
                m.weight.copy_(torch.rand(c, generator=gen) * 1.0 + 0.5)        # in [0.5, 1.5)
                sign = torch.where(torch.rand(c, generator=gen) < 0.3, -1.0, 1.0)
                m.weight.mul_(sign)                                             # some negative gammas
                m.bias.copy_(torch.randn(c, generator=gen) * 0.2)
                m.num_batches_tracked.fill_(100)


def make_input(seed):
    gen = torch.Generator().manual_seed(seed)
    # log-mel like values: a smooth spectral tilt plus noise
    tilt = torch.linspace(0.0, -3.0, INPUT_SHAPE[2]).view(1, 1, -1, 1)
    return (torch.randn(INPUT_SHAPE, generator=gen) + tilt).to(torch.float32).contiguous()


def write_f32(path, t):
    a = t.detach().cpu().numpy().astype("<f4", copy=False)
    with open(path, "wb") as f:
        f.write(np.ascontiguousarray(a).tobytes())


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def export(model, x, path, dynamic_axes=None, preserve=True):
    dynamic_axes = dynamic_axes or {"input": {0: "batch"}, "output": {0: "batch"}}
    kwargs = dict(opset_version=OPSET, input_names=["input"], output_names=["output"], dynamic_axes=dynamic_axes)
    if preserve:
        kwargs.update(training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, **kwargs)
    data = buf.getvalue()
    with open(path, "wb") as f:
        f.write(data)
    return onnx.load_from_string(data)


def dims(value_info):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def check_onnx(model, path, out_shape, dynamic=("batch",)):
    onnx.checker.check_model(model)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    got = dims(inferred.graph.output[0])
    want = [dynamic[0]] + list(out_shape[1:])
    assert got == want, f"{path}: inferred output shape {got}, expected {want}"
    size = os.path.getsize(path)
    assert size < MAX_FILE_BYTES, f"{path} is {size} bytes"
    return got


def op_types(model):
    return sorted({n.op_type for n in model.graph.node})


def op_counts(model):
    counts = {}
    for n in model.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    return dict(sorted(counts.items()))


def module_table(model, onnx_model):
    conv_nodes = {n.input[1]: n.name for n in onnx_model.graph.node if n.op_type == "Conv"}
    init_names = {i.name for i in onnx_model.graph.initializer}
    aliases = initializer_aliases(onnx_model)

    def source(tensor_name):
        """The ONNX initializer that holds a state_dict tensor (None when folded away or not in the graph)."""
        if tensor_name is None:
            return None
        return tensor_name if tensor_name in init_names else aliases.get(tensor_name)

    convs, bns, linears = [], [], []
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            w = name + ".weight"
            convs.append({
                "module": name, "weight": w, "bias": name + ".bias" if m.bias is not None else None,
                "in_channels": m.in_channels, "out_channels": m.out_channels,
                "kernel_size": list(m.kernel_size), "stride": list(m.stride), "padding": list(m.padding),
                "dilation": list(m.dilation), "groups": m.groups,
                "depthwise": m.groups == m.in_channels and m.groups > 1,
                "onnx_weight_initializer": source(w),
                "onnx_bias_initializer": source(name + ".bias" if m.bias is not None else None),
                "onnx_node": conv_nodes.get(w),
            })
        elif isinstance(m, nn.BatchNorm2d):
            bns.append({"module": name, "num_features": m.num_features, "eps": m.eps,
                        "state_dict": [name + s for s in (".weight", ".bias", ".running_mean", ".running_var")]})
        elif isinstance(m, nn.Linear):
            linears.append({"module": name, "in_features": m.in_features, "out_features": m.out_features,
                            "weight": name + ".weight", "bias": name + ".bias" if m.bias is not None else None})
    return convs, bns, linears


def initializer_aliases(model):
    """Identity nodes that give a state_dict name to another (equal-valued, deduplicated) initializer."""
    init_names = {i.name for i in model.graph.initializer}
    return {n.output[0]: n.input[0] for n in model.graph.node if n.op_type == "Identity" and n.input[0] in init_names}


def onnx_details(model):
    """Attributes of the nodes whose export form an importer has to know."""
    out = {}
    for n in model.graph.node:
        if n.op_type in ("BatchNormalization", "HardSigmoid", "LeakyRelu", "Split", "Flatten", "ReduceMean",
                         "ReduceMax", "AveragePool", "MaxPool", "Gather", "Concat", "Gemm", "Clip", "Slice", "Pad"):
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
            attrs = {k: (v.decode() if isinstance(v, bytes) else (list(v) if isinstance(v, (list, tuple)) else v))
                     for k, v in attrs.items() if not isinstance(v, onnx.TensorProto)}
            key = n.op_type
            entry = {"attributes": attrs, "inputs": len(n.input), "outputs": len(n.output)}
            out.setdefault(key, [])
            if entry not in out[key]:
                out[key].append(entry)
    return out


# --------------------------------------------------------------------------------------------
# A small ONNX interpreter (torch.nn.functional per node), to prove each file reproduces output.bin
# --------------------------------------------------------------------------------------------

def run_onnx(model, x):
    env = {i.name: torch.from_numpy(onnx.numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    env[model.graph.input[0].name] = x
    for n in model.graph.node:
        a = {at.name: onnx.helper.get_attribute_value(at) for at in n.attribute}
        ins = [env[i] if i else None for i in n.input]
        op = n.op_type

        def pads2d():
            p = list(a.get("pads", [0, 0, 0, 0]))
            assert p[0] == p[2] and p[1] == p[3], p
            return (p[0], p[1])

        if op == "Constant":
            r = torch.from_numpy(onnx.numpy_helper.to_array(a["value"]).copy())
        elif op == "Conv":
            assert a.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET")
            r = F.conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, tuple(a.get("strides", [1, 1])),
                         pads2d(), tuple(a.get("dilations", [1, 1])), a.get("group", 1))
        elif op == "BatchNormalization":
            assert a.get("training_mode", 0) == 0 and len(n.output) == 1
            r = F.batch_norm(ins[0], ins[3], ins[4], ins[1], ins[2], False, 0.0, a.get("epsilon", 1e-5))
        elif op == "Relu":
            r = torch.relu(ins[0])
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else None
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else None
            r = torch.clamp(ins[0], None if lo is None else lo.item(), None if hi is None else hi.item())
        elif op == "HardSigmoid":
            r = torch.clamp(a.get("alpha", 0.2) * ins[0] + a.get("beta", 0.5), 0.0, 1.0)
        elif op == "HardSwish":
            r = ins[0] * torch.clamp(ins[0] / 6 + 0.5, 0.0, 1.0)
        elif op == "Sigmoid":
            r = torch.sigmoid(ins[0])
        elif op == "Tanh":
            r = torch.tanh(ins[0])
        elif op == "LeakyRelu":
            r = F.leaky_relu(ins[0], a.get("alpha", 0.01))
        elif op == "Erf":
            r = torch.erf(ins[0])
        elif op in ("Add", "Mul", "Div", "Sub"):
            r = {"Add": torch.add, "Mul": torch.mul, "Div": torch.div, "Sub": torch.sub}[op](ins[0], ins[1])
            if ins[0].dtype == torch.int64 and ins[1].dtype == torch.int64 and op == "Div":
                r = torch.div(ins[0], ins[1], rounding_mode="trunc")
        elif op == "GlobalAveragePool":
            r = ins[0].mean(dim=(2, 3), keepdim=True)
        elif op in ("ReduceMean", "ReduceMax"):
            axes = tuple(a["axes"])
            keep = bool(a.get("keepdims", 1))
            r = ins[0].mean(dim=axes, keepdim=keep) if op == "ReduceMean" else torch.amax(ins[0], dim=axes, keepdim=keep)
        elif op == "MaxPool":
            assert a.get("ceil_mode", 0) == 0
            r = F.max_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", [1, 1])), pads2d(),
                             tuple(a.get("dilations", [1, 1])))
        elif op == "AveragePool":
            assert a.get("ceil_mode", 0) == 0
            r = F.avg_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", [1, 1])), pads2d(),
                             count_include_pad=bool(a.get("count_include_pad", 0)))
        elif op == "Pad":
            assert a.get("mode", b"constant") in (b"constant", "constant")
            pads = ins[1].tolist()
            value = ins[2].item() if len(ins) > 2 and ins[2] is not None else 0.0
            rank = ins[0].dim()
            torch_pads = []
            for ax in reversed(range(rank)):
                torch_pads += [pads[ax], pads[ax + rank]]
            r = F.pad(ins[0], torch_pads, "constant", value)
        elif op == "Concat":
            r = torch.cat(ins, dim=a["axis"])
        elif op == "Split":
            sizes = ins[1].tolist() if len(ins) > 1 else None
            if sizes is None:
                k = len(n.output)
                sizes = [ins[0].shape[a.get("axis", 0)] // k] * k
            parts = torch.split(ins[0], sizes, dim=a.get("axis", 0))
            for name, p in zip(n.output, parts):
                env[name] = p
            continue
        elif op == "Slice":
            starts, ends = ins[1].tolist(), ins[2].tolist()
            axes = ins[3].tolist() if len(ins) > 3 and ins[3] is not None else list(range(len(starts)))
            steps = ins[4].tolist() if len(ins) > 4 and ins[4] is not None else [1] * len(starts)
            idx = [slice(None)] * ins[0].dim()
            for s, e, ax, st in zip(starts, ends, axes, steps):
                dim = ins[0].shape[ax]
                e = min(e, dim)
                idx[ax] = slice(s, e, st)
            r = ins[0][tuple(idx)]
        elif op == "Flatten":
            r = torch.flatten(ins[0], a.get("axis", 1)) if a.get("axis", 1) > 0 else ins[0].reshape(1, -1)
        elif op == "Shape":
            r = torch.tensor(list(ins[0].shape), dtype=torch.int64)
        elif op == "Gather":
            r = torch.index_select(ins[0], a.get("axis", 0), ins[1].reshape(-1)).reshape(
                ins[0].shape[:a.get("axis", 0)] + ins[1].shape + ins[0].shape[a.get("axis", 0) + 1:])
        elif op == "Unsqueeze":
            r = ins[0]
            for ax in sorted(ins[1].tolist()):
                r = r.unsqueeze(ax)
        elif op == "Squeeze":
            r = ins[0].squeeze(ins[1].tolist()[0]) if len(ins) > 1 else ins[0].squeeze()
        elif op == "Reshape":
            shape = ins[1].tolist()
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            r = ins[0].reshape(shape)
        elif op == "Gemm":
            A = ins[0].t() if a.get("transA", 0) else ins[0]
            B = ins[1].t() if a.get("transB", 0) else ins[1]
            r = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                r = r + a.get("beta", 1.0) * ins[2]
        elif op == "MatMul":
            r = ins[0] @ ins[1]
        elif op in ("Identity", "Dropout"):
            r = ins[0]
        elif op == "Transpose":
            r = ins[0].permute(*a["perm"])
        else:
            raise NotImplementedError(op)
        env[n.output[0]] = r
    return env[model.graph.output[0].name]


# --------------------------------------------------------------------------------------------
# Fixture writing
# --------------------------------------------------------------------------------------------

ACTIVATION_NOTES = {
    "ReLU": "Relu",
    "ReLU6": "nn.ReLU6 -> Clip with min 0 and max 6 as inputs 1 and 2, each from a Constant node (not initializers)",
    "Hardswish": "nn.Hardswish -> Mul(x, HardSigmoid(x, alpha=1/6)); beta is not written (default 0.5); "
                 "the HardSwish op is opset 14",
    "Hardsigmoid": "nn.Hardsigmoid -> HardSigmoid(alpha=1/6); beta is not written (default 0.5)",
    "SiLU": "nn.SiLU -> Sigmoid then Mul",
    "GELU": "nn.GELU (exact) -> Div(sqrt 2), Erf, Add(1), Mul, Mul(0.5) (Gelu is opset 20)",
    "LeakyReLU": "LeakyRelu(alpha=0.1) (float32 0.1 = 0.10000000149)",
    "Tanh": "Tanh",
    "Sigmoid": "Sigmoid",
}

NETWORKS = [
    # name, constructor, activations, structures
    ("resnet_small", ResNetSmall, ["ReLU"],
     ["BasicBlock residual Add with identity shortcut (layer1.0, layer1.1, layer2.1)",
      "strided 1x1 conv + bn projection shortcut (layer2.0.downsample, layer3.0.downsample)",
      "AdaptiveAvgPool2d(1) -> GlobalAveragePool", "torch.flatten(x, 1) -> Flatten(axis=1)", "Linear -> Gemm"]),
    ("mobilenet_v2_small", MobileNetV2Small, ["ReLU6"],
     ["inverted residual: 1x1 expand, 3x3 depthwise (groups=channels), 1x1 linear project",
      "block without expand conv (blocks.0)", "residual Add when shapes match (blocks.0, blocks.2, blocks.4)",
      "stride-2 blocks without residual (blocks.1, blocks.3)",
      "x.mean(dim=(2, 3)) -> ReduceMean(axes=[2, 3], keepdims=0)", "Dropout (eval: not in the graph)"]),
    ("mobilenet_v3_se", MobileNetV3SE, ["ReLU", "Hardswish", "Hardsigmoid"],
     ["EfficientAT-style MobileNetV3 blocks: 1x1 expand, depthwise 3x3 and 5x5, squeeze-excitation, 1x1 project",
      "squeeze-excitation: GlobalAveragePool -> Conv 1x1 (bias) -> Relu -> Conv 1x1 (bias) -> HardSigmoid -> Mul with the map",
      "block without expand conv whose SE gates the depthwise output (blocks.0)",
      "residual Add (blocks.0, blocks.2, blocks.4)", "head conv 1x1 + Hardswish + GlobalAveragePool + Flatten + Gemm"]),
    ("concat_net", ConcatNet, ["SiLU", "GELU", "ReLU"],
     ["Inception block: four branches concatenated on channels (Concat axis=1) read by reduce.0",
      "MaxPool2d(3, 1, 1) branch -> MaxPool(pads=[1, 1, 1, 1])",
      "AvgPool2d(3, 1, 1) branch (count_include_pad=True) -> Pad(mode=constant, pads from a Constant "
      "[0, 0, 1, 1, 0, 0, 1, 1], value 0) then AveragePool(pads=[0, 0, 0, 0])",
      "torch.split(x, [12, 20], dim=1) -> Split with split sizes as input; parts feed split_a.0 and split_b.0",
      "channel slice x[:, :8] -> Slice (axes=[1]); feeds slice_conv.0",
      "DenseNet-style cat([x, dense(x), slice]) read by fuse.0", "MaxPool2d(2, 2)"]),
    ("torchvision_mobilenet_v3_small", torchvision_mobilenet_v3_small, ["ReLU", "Hardswish", "Hardsigmoid"],
     ["torchvision.models.mobilenet_v3_small(weights=None, width_mult=0.25, num_classes=10), "
      "features.0.0 replaced by Conv2d(1, 8, 3, stride 2, padding 1, bias=False)",
      "torchvision SqueezeExcitation (fc1/fc2 are 1x1 convs with bias, scale_activation Hardsigmoid)",
      "torchvision initialises conv biases to zero, and torch 1.13 deduplicates initializers with equal values: "
      "some SE biases are not initializers but Identity nodes reading another bias (see initializer_aliases)",
      "classifier: Linear, Hardswish, Dropout (eval: not in the graph), Linear"]),
    ("plain_flatten", PlainFlatten, ["LeakyReLU", "Tanh", "ReLU", "Sigmoid"],
     ["x.view(x.size(0), -1) of a 16x4x6 map -> Shape, Gather, Unsqueeze, Concat, Reshape",
      "Linear fc1 reads 384 = 16 channels x 4 x 6 positions (channel-major)",
      "MaxPool2d(2) and AvgPool2d(4) (no padding; 16x25 -> 4x6 drops the last frame); the AvgPool2d still "
      "exports as Pad(all-zero pads from a Constant) then AveragePool",
      "Gather reads a scalar (rank-0) index 0 from Shape; Unsqueeze axes are an input (opset 13)",
      "torch.relu / torch.sigmoid functional calls; output is sigmoid probabilities"]),
]

FOLDED = "resnet_small"


def common_meta():
    return {
        "generator": "tests/AudioPrune.Tests/Interop/OnnxFixtures/make_fixtures.py",
        "torch_version": torch.__version__, "torchvision_version": torchvision.__version__,
        "onnx_version": onnx.__version__, "numpy_version": np.__version__,
        "python_version": sys.version.split()[0], "opset": OPSET,
    }


def make_network(index, name, ctor, activations, structures):
    torch.manual_seed(1000 + index)
    model = ctor()
    randomize_batchnorm(model, torch.Generator().manual_seed(2000 + index))
    model.eval()
    x = make_input(3000 + index)
    with torch.no_grad():
        y = model(x)
    assert tuple(y.shape) == (INPUT_SHAPE[0], NUM_CLASSES)

    onnx_path = os.path.join(HERE, name + ".onnx")
    m = export(model, x, onnx_path)
    inferred = check_onnx(m, onnx_path, y.shape)
    ops = op_types(m)
    bn_modules = sum(isinstance(mm, nn.BatchNorm2d) for mm in model.modules())
    bn_nodes = sum(n.op_type == "BatchNormalization" for n in m.graph.node)
    assert bn_nodes == bn_modules and bn_nodes > 0, f"{name}: {bn_nodes} BatchNormalization nodes, {bn_modules} modules"
    assert "Dropout" not in ops
    y_onnx = run_onnx(m, x)
    err = (y_onnx - y).abs().max().item()
    assert err < 1e-4, f"{name}: interpreter differs from torch by {err}"

    write_f32(os.path.join(HERE, name + ".input.bin"), x)
    write_f32(os.path.join(HERE, name + ".output.bin"), y)
    convs, bns, linears = module_table(model, m)

    meta = {
        "name": name, **common_meta(),
        "onnx": name + ".onnx", "input_bin": name + ".input.bin", "output_bin": name + ".output.bin",
        "bin_format": "float32 little-endian, C order, no header",
        "export": "torch.onnx.export(opset_version=13, training=TrainingMode.PRESERVE, do_constant_folding=False, "
                  "dynamic_axes batch on input and output) of an eval-mode model",
        "input_name": "input", "output_name": "output",
        "input_shape": list(x.shape), "output_shape": list(y.shape),
        "onnx_input_dims": dims(m.graph.input[0]), "onnx_output_dims": dims(m.graph.output[0]),
        "inferred_output_dims": inferred,
        "op_types": ops, "op_counts": op_counts(m),
        "node_count": len(m.graph.node), "initializer_count": len(m.graph.initializer),
        "parameter_count": sum(p.numel() for p in model.parameters()),
        "buffer_count": sum(b.numel() for n_, b in model.named_buffers() if not n_.endswith("num_batches_tracked")),
        "batchnorm_nodes": bn_nodes,
        "activations": activations,
        "activation_export": {k: ACTIVATION_NOTES[k] for k in activations},
        "structures": structures,
        "onnx_attributes": onnx_details(m),
        "initializer_aliases": initializer_aliases(m),
        "convs": convs, "batchnorms": bns, "linears": linears,
        "output_check": {"onnx_interpreter_max_abs_diff": float(f"{err:.3g}"), "suggested_tolerance": 1e-4},
        "output_first_row": [round(v, 6) for v in y[0].tolist()],
        "sha256": {},
    }

    if name == FOLDED:
        folded_path = os.path.join(HERE, name + "-folded.onnx")
        mf = export(model, x, folded_path, preserve=False)
        check_onnx(mf, folded_path, y.shape)
        assert "BatchNormalization" not in op_types(mf), "folded export kept batch norm"
        errf = (run_onnx(mf, x) - y).abs().max().item()
        assert errf < 1e-4, f"{name}-folded: differs by {errf}"
        meta["folded"] = {
            "onnx": name + "-folded.onnx",
            "export": "torch.onnx.export(opset_version=13, dynamic_axes batch) defaults: eval mode, constant folding "
                      "on; PyTorch folds each BatchNormalization into the preceding Conv (weight and a new bias)",
            "op_types": op_types(mf), "op_counts": op_counts(mf),
            "initializer_names": sorted(i.name for i in mf.graph.initializer),
            "same_input_and_output_bins": True,
            "onnx_interpreter_max_abs_diff": float(f"{errf:.3g}"),
        }
        meta["sha256"][name + "-folded.onnx"] = sha256(folded_path)

    for f in (name + ".onnx", name + ".input.bin", name + ".output.bin"):
        meta["sha256"][f] = sha256(os.path.join(HERE, f))
    with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    return meta


def write_bad_json(name, meta):
    with open(os.path.join(BAD, name + ".json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"name": name, **common_meta(), **meta}, f, indent=2)
        f.write("\n")


def make_bad():
    os.makedirs(BAD, exist_ok=True)

    # unsupported_op: a CRNN with an LSTM
    torch.manual_seed(4000)
    model = ConvLstm()
    randomize_batchnorm(model, torch.Generator().manual_seed(4001))
    model.eval()
    x = make_input(4002)
    p = os.path.join(BAD, "unsupported_op.onnx")
    m = export(model, x, p)
    check_onnx(m, p, (2, NUM_CLASSES))
    assert "LSTM" in op_types(m)
    write_bad_json("unsupported_op", {
        "onnx": "unsupported_op.onnx", "expected": "refused: op type LSTM is not supported",
        "unsupported_op_types": ["LSTM"], "op_types": op_types(m),
        "description": "conv-bn-relu, mean over mel bands, nn.LSTM(8, 16, batch_first=True), Linear on the last frame",
        "sha256": sha256(p)})

    # no_conv: Linear layers only
    torch.manual_seed(4100)
    model = MlpOnly().eval()
    p = os.path.join(BAD, "no_conv.onnx")
    m = export(model, make_input(4101), p)
    check_onnx(m, p, (2, NUM_CLASSES))
    assert "Conv" not in op_types(m)
    write_bad_json("no_conv", {
        "onnx": "no_conv.onnx", "expected": "refused: the graph has no Conv node (nothing to prune as a CNN)",
        "op_types": op_types(m), "description": "mean over frames, Flatten, Linear(64, 32), Relu, Linear(32, 10)",
        "sha256": sha256(p)})

    # dynamic_spatial: time axis dynamic too
    torch.manual_seed(4200)
    model = TinyConvNet()
    randomize_batchnorm(model, torch.Generator().manual_seed(4201))
    model.eval()
    x = make_input(4202)
    with torch.no_grad():
        y = model(x)
    p = os.path.join(BAD, "dynamic_spatial.onnx")
    m = export(model, x, p, dynamic_axes={"input": {0: "batch", 3: "time"}, "output": {0: "batch"}})
    check_onnx(m, p, y.shape)
    assert dims(m.graph.input[0]) == ["batch", 1, 64, "time"], dims(m.graph.input[0])
    assert (run_onnx(m, x) - y).abs().max().item() < 1e-4
    write_f32(os.path.join(BAD, "dynamic_spatial.input.bin"), x)
    write_f32(os.path.join(BAD, "dynamic_spatial.output.bin"), y)
    write_bad_json("dynamic_spatial", {
        "onnx": "dynamic_spatial.onnx",
        "expected": "refused (or handled, if the importer ever accepts a dynamic time axis): input dims "
                    "[batch, 1, 64, time], the time axis (3) is symbolic",
        "onnx_input_dims": dims(m.graph.input[0]), "onnx_output_dims": dims(m.graph.output[0]),
        "input_bin": "dynamic_spatial.input.bin", "output_bin": "dynamic_spatial.output.bin",
        "input_shape": list(x.shape), "output_shape": list(y.shape),
        "op_types": op_types(m), "parameter_count": sum(q.numel() for q in model.parameters()),
        "description": "conv-bn-relu, strided conv-bn-relu, GlobalAveragePool, Flatten, Gemm",
        "sha256": {"dynamic_spatial.onnx": sha256(p),
                   "dynamic_spatial.input.bin": sha256(os.path.join(BAD, "dynamic_spatial.input.bin")),
                   "dynamic_spatial.output.bin": sha256(os.path.join(BAD, "dynamic_spatial.output.bin"))}})

    # external_data and truncated: both from the same valid tiny net
    torch.manual_seed(4300)
    model = TinyConvNet()
    randomize_batchnorm(model, torch.Generator().manual_seed(4301))
    model.eval()
    with tempfile.TemporaryDirectory() as tmp:
        valid = os.path.join(tmp, "valid.onnx")
        m = export(model, make_input(4302), valid)
        check_onnx(m, valid, (2, NUM_CLASSES))
        with open(valid, "rb") as f:
            valid_bytes = f.read()
        ext = os.path.join(tmp, "external_data.onnx")
        onnx.save_model(onnx.load(valid), ext, save_as_external_data=True, all_tensors_to_one_file=True,
                        location="external_data.onnx.data", size_threshold=0)
        assert os.path.exists(os.path.join(tmp, "external_data.onnx.data"))
        data_size = os.path.getsize(os.path.join(tmp, "external_data.onnx.data"))
        shutil.copyfile(ext, os.path.join(BAD, "external_data.onnx"))  # the .data file is NOT copied
    em = onnx.load(os.path.join(BAD, "external_data.onnx"), load_external_data=False)
    ext_tensors = [t.name for t in em.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    assert ext_tensors and len(ext_tensors) == len(em.graph.initializer)
    p = os.path.join(BAD, "external_data.onnx")
    write_bad_json("external_data", {
        "onnx": "external_data.onnx",
        "expected": "refused: initializers are stored as external data (location external_data.onnx.data), "
                    "which is not supported; that .data file is deliberately not checked in",
        "external_data_location": "external_data.onnx.data", "external_data_file_checked_in": False,
        "external_data_file_size_when_made": data_size,
        "external_initializers": ext_tensors,
        "op_types": op_types(em),
        "description": "TinyConvNet saved with onnx.save_model(save_as_external_data=True, "
                       "all_tensors_to_one_file=True, location='external_data.onnx.data', size_threshold=0)",
        "sha256": sha256(p)})

    half = len(valid_bytes) // 2
    p = os.path.join(BAD, "truncated.onnx")
    with open(p, "wb") as f:
        f.write(valid_bytes[:half])
    try:
        onnx.load_from_string(valid_bytes[:half])
        parses = True
    except Exception:
        parses = False
    write_bad_json("truncated", {
        "onnx": "truncated.onnx",
        "expected": "refused: the file is the first half of a valid ONNX model, cut inside the protobuf",
        "truncated_length": half, "original_length": len(valid_bytes),
        "original_sha256": hashlib.sha256(valid_bytes).hexdigest(),
        "python_onnx_load_parses": parses,
        "description": "first floor(n/2) bytes of a TinyConvNet export (same settings as the good fixtures)",
        "sha256": sha256(p)})


def main():
    index = []
    for i, (name, ctor, acts, structs) in enumerate(NETWORKS):
        meta = make_network(i, name, ctor, acts, structs)
        index.append({"name": name, "onnx": meta["onnx"], "json": name + ".json", "op_types": meta["op_types"],
                      "parameter_count": meta["parameter_count"], "activations": meta["activations"],
                      **({"folded": meta["folded"]["onnx"]} if "folded" in meta else {})})
        print(f"{name}: {meta['parameter_count']} parameters, ops {meta['op_types']}")
    make_bad()
    with open(os.path.join(HERE, "fixtures.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({**common_meta(), "networks": index,
                   "bad": ["bad/unsupported_op.onnx", "bad/no_conv.onnx", "bad/dynamic_spatial.onnx",
                           "bad/external_data.onnx", "bad/truncated.onnx"]}, f, indent=2)
        f.write("\n")
    print("bad fixtures written")


if __name__ == "__main__":
    main()
