#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the raw outputs bench/run leaves in its results folder.

Usage: /usr/bin/python3 bench/report.py RESULTS_DIR OUTPUT.md
Standard library only. Every figure is read from a result file; a missing or failed step is reported as such."""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

NETWORK_TITLES = {"dcase21": "DCASE21_Net", "vggish": "VGGish_Net", "cnn14": "CNN14"}
LATENCY_MODELS = [("dcase21", "DCASE21_Net (unpruned)"), ("c2", "DCASE21_Net C2 (16/11/32)"),
                  ("c123", "DCASE21_Net C1+C2+C3 (11/11/22)"), ("vggish", "VGGish_Net")]


def read_text(results, name):
    path = results / name
    return path.read_text() if path.exists() else None


def read_json(results, name):
    text = read_text(results, name)
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def verdict(ok):
    return "met" if ok else "**not met**"


def fmt(value, digits=1):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "n/a"


def package_versions(root):
    props = (root / "Directory.Packages.props").read_text()
    return dict(re.findall(r'PackageVersion Include="([^"]+)" Version="([^"]+)"', props))


def machine(results, root):
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    mem_kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
    os_release = dict(re.findall(r'^(\w+)="?([^"\n]*)"?$', Path("/etc/os-release").read_text(), re.M))
    runtimes = [l.split()[1] for l in command_output(["dotnet", "--list-runtimes"]).splitlines()
                if l.startswith("Microsoft.NETCore.App")]
    packages = package_versions(root)
    numpy = read_json(results, "numpy-vggish.json") or {}
    torch_version = re.search(r"PyTorch (\S+?);", read_text(results, "train-pytorch-1.txt") or "")
    return {
        "cores": os.cpu_count(),
        "cpu": model.group(1).strip() if model else "unknown",
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": f"{os_release.get('PRETTY_NAME', platform.system())}, kernel {platform.release()}",
        "dotnet": f"SDK {command_output(['dotnet', '--version'])}, runtime {', '.join(runtimes) or 'n/a'}",
        "libraries": ", ".join(f"{name} {packages[name]}" for name in
                               ["TorchSharp", "libtorch-cpu-linux-x64", "Microsoft.ML.OnnxRuntime", "NWaves"]
                               if name in packages),
        "python": f"/usr/bin/python3 {platform.python_version()}, NumPy {numpy.get('numpy', 'n/a')}, "
                  f"PyTorch {torch_version.group(1) if torch_version else 'n/a'}",
    }


def importance_section(results, caps):
    out = ["## 1. Importance computation (seed-0 zoo weights)", "",
           "Time to score every conv layer and choose its kept filters (the criterion's own count, or half the "
           "filters for score criteria), best of the timed runs after a warm-up run; cpu = process CPU time of the "
           "best run. The NumPy reference (`bench/numpy_similarity.py`) runs the similarity criterion (rank-1 "
           "prototypes, cosine distances, greedy selection) on the same weights, exported with "
           "`audioprune export NAME --safetensors`: once with a pairwise Python loop over filter pairs (as the papers "
           "timed it) and once vectorised (one matrix product); it times each layer once (no repetition), so its "
           "figures carry the machine's noise in full. .NET per-layer figures are the best of the runs. Ratios are "
           "NumPy time / .NET time (above 1: .NET faster).",
           ""]
    vggish_checks = None
    all_identical = True
    for net in ["dcase21", "vggish", "cnn14"]:
        bench = read_json(results, f"importance-{net}.json")
        numpy = read_json(results, f"numpy-{net}.json")
        title = NETWORK_TITLES[net]
        if not bench:
            out += [f"### {title}", "", "(no result: the step failed, see the results folder)", ""]
            continue
        network = bench[0]
        out += [f"### {title}", "",
                f"Best of {network['runs']} runs, load average {network['load_average']}.", "",
                table(["criterion", "total ms", "cpu ms"],
                      [[c["criterion"], fmt(c["total_ms"]), fmt(c["cpu_ms"], 0)] for c in network["criteria"]]), ""]
        similarity = next((c for c in network["criteria"] if c["criterion"] == "similarity rank1"), None)
        if not similarity or not numpy:
            out += ["(similarity or NumPy result missing)", ""]
            continue
        reference = {layer["name"]: layer for layer in numpy["layers"]}
        cap = caps.get(net)
        rows, identical = [], True
        sums = {"net": 0.0, "vec": 0.0, "loop": 0.0, "net_loop": 0.0}
        for layer in similarity["layers"]:
            ref = reference.get(layer["layer"])
            if ref is None:
                rows.append([layer["layer"], layer["filters"], fmt(layer["best_ms"]), "missing", "", "", "", "no"])
                identical = False
                continue
            same = ref["kept"] == layer["kept"]
            identical &= same
            vec_ms, loop_ms = ref["seconds_vectorised"] * 1000, (ref["seconds_loop"] or 0) * 1000 if ref["seconds_loop"] is not None else None
            sums["net"] += layer["best_ms"]
            sums["vec"] += vec_ms
            if loop_ms is not None:
                sums["loop"] += loop_ms
                sums["net_loop"] += layer["best_ms"]
            rows.append([layer["layer"], layer["filters"], fmt(layer["best_ms"]), fmt(vec_ms),
                         fmt(loop_ms) if loop_ms is not None else f"skipped (> {cap} filters)",
                         fmt(vec_ms / layer["best_ms"]) + "x",
                         fmt(loop_ms / layer["best_ms"]) + "x" if loop_ms is not None else "",
                         f"yes ({len(layer['kept'])})" if same else f"**no** ({len(layer['kept'])} vs {len(ref['kept'])})"])
        loop_ratio = sums["loop"] / sums["net_loop"] if sums["net_loop"] else None
        vec_ratio = sums["vec"] / sums["net"] if sums["net"] else None
        rows.append(["**total**", "", fmt(sums["net"]), fmt(sums["vec"]),
                     fmt(sums["loop"]) + ("" if all(r["seconds_loop"] is not None for r in numpy["layers"]) else " (looped layers)"),
                     fmt(vec_ratio) + "x", (fmt(loop_ratio) + "x (looped layers)") if loop_ratio else "",
                     "all identical" if identical else "**differ**"])
        out += [f"Similarity (rank-1) against NumPy {numpy.get('numpy', '')}:", "",
                table(["layer", "filters", ".NET ms", "NumPy vectorised ms", "NumPy loop ms",
                       "vectorised / .NET", "loop / .NET", "kept sets identical (kept)"], rows), ""]
        if any(r["seconds_loop"] is None for r in numpy["layers"]):
            out += [f"The pairwise loop was capped at {cap} filters (`--skip-loop-above {cap}`): on wider layers it "
                    "takes n^2 Python steps; its ratio is over the looped layers only.", ""]
        all_identical &= identical
        if net == "vggish":
            vggish_checks = (loop_ratio, vec_ratio, identical)
    if vggish_checks:
        loop_ratio, vec_ratio, identical = vggish_checks
        out += ["Targets (VGGish_Net): similarity at least 100x faster than the pairwise-loop NumPy: "
                f"{fmt(loop_ratio)}x, {verdict(loop_ratio is not None and loop_ratio >= 100)}; faster than vectorised "
                f"NumPy: {fmt(vec_ratio, 2)}x, {verdict(vec_ratio is not None and vec_ratio > 1)}; identical kept sets "
                f"(all networks): {verdict(all_identical)}.", ""]
    return out, vggish_checks, all_identical


STEP_LINE = re.compile(r"threads (\d+): median step ([\d.]+) s \(min ([\d.]+), max ([\d.]+)\) -> ([\d.]+) samples/s")


def steps(results, name):
    text = read_text(results, name) or ""
    return {int(m[0]): {"median": float(m[1]), "min": float(m[2]), "max": float(m[3]), "rate": float(m[4])}
            for m in STEP_LINE.findall(text)}


def rounds(results, prefix):
    """Per-thread step figures of each round (train-PREFIX-1.txt, -2.txt, ...), in round order."""
    found, i = [], 1
    while read_text(results, f"train-{prefix}-{i}.txt") is not None:
        found.append(steps(results, f"train-{prefix}-{i}.txt"))
        i += 1
    return found


def micro_section(results):
    reports = sorted((results / "micro" / "results").glob("*-report-github.md"))
    if not reports:
        return []
    text = reports[0].read_text().replace("**", "")
    return ["### VGGish_Net per layer, BenchmarkDotNet", "",
            "`AudioPrune.Bench.Micro`: the same work per layer as above (weight check, scores, kept set with the "
            "criterion's own count), measured in process by BenchmarkDotNet (ShortRun: 3 warm-up and 3 measured "
            "iterations of many invocations each; Error = half the 99.9 % confidence interval; Allocated = managed "
            "memory only).", "", text.strip(), ""]


def training_section(results):
    ts_rounds, pt_rounds, cl_rounds = rounds(results, "torchsharp"), rounds(results, "pytorch"), rounds(results, "pytorch-cl")
    headers = [(read_text(results, f"train-{p}-1.txt") or "").splitlines()[:2] for p in ["torchsharp", "pytorch", "pytorch-cl"]]
    out = ["## 2. Training step throughput (DCASE21_Net, batch 32)", "",
           "One step = forward, cross-entropy, backward, Adam update (the trainer's own `TrainingStep`; the same "
           "network and step in `bench/pytorch_train_step.py`). Each round runs the .NET program, then the PyTorch "
           "script with PyTorch's default memory format (NCHW), then with `torch.channels_last`, each timing 1 and 2 "
           "threads; the rounds alternate so that a change in the machine's load falls on all three. Per round: the "
           "median step time of the timed steps. The table gives the median over the rounds (min-max over the rounds "
           "in brackets); a ratio is TorchSharp samples/s over PyTorch samples/s, from those medians, with each "
           "round's own ratio after it. The target compares with PyTorch as it runs by default. The headers give the "
           "oneDNN instruction set, the channel padding the library applies on CPUs with AVX-512 (see "
           "`src/AudioPrune/Graph/Torch/BlockAlignedConvolution.cs`) and the feature-map layout the graph module "
           "chose (see `src/AudioPrune/Graph/Torch/ActivationLayout.cs`).", ""]
    out += [f"`{line}`" for h in headers for line in h if not line.startswith("threads")] + [""]
    rows, met, ratios = [], bool(ts_rounds) and bool(pt_rounds), {}
    for threads in sorted(ts_rounds[0] if ts_rounds else {}):
        ts = [r[threads]["median"] for r in ts_rounds if threads in r]
        pt = [r[threads]["median"] for r in pt_rounds if threads in r]
        cl = [r[threads]["median"] for r in cl_rounds if threads in r]
        if not ts or not pt:
            met = False
            continue
        batch = ts_rounds[0][threads]["rate"] * ts_rounds[0][threads]["median"]
        ratio = statistics.median(pt) / statistics.median(ts)
        met &= ratio >= 1.0
        ratios[threads] = ratio

        def cell(times):
            return (f"{batch / statistics.median(times):.1f} ({statistics.median(times):.3f} s, "
                    f"{min(times):.3f}-{max(times):.3f})") if times else "n/a"

        def versus(peer):
            if not peer:
                return "n/a"
            per_round = ", ".join(f"{p / t:.2f}" for t, p in zip(ts, peer))
            return f"{statistics.median(peer) / statistics.median(ts):.2f}x ({per_round})"
        rows.append([threads, len(ts), cell(ts), cell(pt), versus(pt), cell(cl), versus(cl)])
    out += [table(["threads", "rounds", "TorchSharp samples/s (median step, spread)",
                   "PyTorch samples/s (median step, spread)", "TorchSharp / PyTorch (per round)",
                   "PyTorch channels_last samples/s", "TorchSharp / PyTorch channels_last (per round)"], rows), "",
            f"Target: at least 1.0x PyTorch's throughput on the same threads: {verdict(met and bool(rows))}.", ""]
    return out, (met and bool(rows), ratios)


def latency_section(results):
    out = ["## 3. Inference latency (1 thread)", "",
           "`audioprune bench MODEL --engine E --batch B --threads 1 --parent dcase21`: median of the timed runs "
           "(p10-p90 in brackets), milliseconds per batch. The pruned DCASE21_Net models keep the L1-largest filters "
           "at the papers' widths (`audioprune prune dcase21 --method l1 --keep ...`). Speed-up = parent median / "
           "model median in the same process, the two timed in alternating blocks of 5 runs; MAC efficiency = speed-up / MACs ratio; ideal floor = parent median / "
           "MACs ratio (the latency if time fell in proportion to MACs). torch / onnx = TorchSharp median / ONNX "
           "Runtime median for the same model and batch. The parent is re-measured in each pruned model's run; compare its "
           "\"parent ms\" with the unpruned row to see how far the machine's load moved the figures between runs (a MAC "
           "efficiency above 1 is within that noise). Engine onnx exports with this CPU's convolution layout "
           "(`--conv-layout auto`: exact rewrites for ONNX Runtime's blocked kernels, see "
           "`src/AudioPrune/Interop/Onnx/ConvolutionPlan.cs`); onnx-plain with one Conv node per layer, the portable "
           "form `export --onnx` writes by default. Executed MACs are the multiply-adds the engine's kernels really do: ONNX Runtime's blocked "
           "kernels pad each layer's filters to whole channel blocks and run folded kernels with their zeros; the "
           "TorchSharp engine runs whichever module form it timed fastest on the first batch: pruned widths padded to "
           "whole blocks, or the network as it is, channels-first or channels-last (`FastestTorchModule`; "
           "`OnnxExecutedMacs`, `TorchGraphModule.ExecutedGraph`). "
           "Efficiency vs executed = speed-up / (parent executed MACs / model executed MACs): near 1, the kernels "
           "turned every executed multiply-add saved into time, and what MAC efficiency misses went to padding.", ""]
    rows, target, plain, executed_target = [], None, None, None
    torch_forms = []
    for batch in [1, 32]:
        for engine in ["onnx", "onnx-plain", "torch"]:
            for key, title in LATENCY_MODELS:
                result = read_json(results, f"latency-{key}-{engine}-{batch}.json")
                if not result:
                    rows.append([engine, batch, title] + ["n/a"] * 10)
                    continue
                model = result["model"]
                peer = (read_json(results, f"latency-{key}-{'torch' if engine == 'onnx' else 'onnx'}-{batch}.json")
                        if engine != "onnx-plain" else None)
                versus = (result["model"]["median_ms"] / peer["model"]["median_ms"] if engine == "torch"
                          else peer["model"]["median_ms"] / result["model"]["median_ms"]) if peer else None
                if key == "c123" and engine == "onnx-plain" and batch == 1:
                    plain = result.get("mac_efficiency")
                parent = result.get("parent")
                ratio = result.get("macs_ratio")
                efficiency = result.get("mac_efficiency")
                executed = result.get("executed_macs")
                executed_efficiency = result.get("executed_mac_efficiency")
                if key == "c123" and engine == "onnx" and batch == 1:
                    target, executed_target = efficiency, executed_efficiency
                if engine == "torch" and result.get("form"):
                    torch_forms.append(f"batch {batch}, {title}: {result['form']}")
                rows.append([engine, batch, title, f"{result['macs'] / 1e6:,.1f} M",
                             f"{executed / 1e6:,.1f} M" if executed else "",
                             f"{model['median_ms']:.2f} ({model['p10_ms']:.2f}-{model['p90_ms']:.2f})",
                             f"{parent['median_ms']:.2f}" if parent and key != "dcase21" else "",
                             f"{result['measured_speedup']:.2f}x" if parent and key != "dcase21" else "",
                             f"{ratio:.2f}x" if ratio and key != "dcase21" else "",
                             f"{efficiency:.2f}" if efficiency is not None and key != "dcase21" else "",
                             f"{executed_efficiency:.2f}" if executed_efficiency is not None and key != "dcase21" else "",
                             f"{parent['median_ms'] / ratio:.2f}" if parent and ratio and key != "dcase21" else "",
                             f"{versus:.2f}x" if versus else ""])
    out += [table(["engine", "batch", "model", "MACs", "executed MACs", "median ms", "parent ms", "speed-up",
                   "MACs ratio", "MAC efficiency", "efficiency vs executed", "ideal floor ms", "torch / onnx"], rows), "",
            "TorchSharp module forms chosen: " + ("; ".join(torch_forms) if torch_forms else "n/a") + ".", "",
            f"Target: C1+C2+C3 under ONNX Runtime, batch 1, 1 thread, MAC efficiency at least 0.8: "
            f"{fmt(target, 2)}, {verdict(target is not None and target >= 0.8)} "
            f"(plain layout: {fmt(plain, 2)}; against the multiply-adds the blocked kernels execute: "
            f"{fmt(executed_target, 2)}).", ""]
    return out, target


def stage_section(results):
    """The ONNX Runtime profile of the pruned DCASE21_Net models beside their parent's, stage by stage."""
    out = ["### Where the time goes (ONNX Runtime, batch 1, 1 thread)", "",
           "`audioprune bench MODEL --engine onnx --batch 1 --threads 1 --parent dcase21 --profile`: after the timed "
           "runs, model and parent run as many times again in profiled sessions (ONNX Runtime's profiler). A stage is a "
           "convolution or linear layer with the layers after it up to the next one (batch norm, activation, pooling, "
           "and the layout conversions ONNX Runtime inserts); its time is the sum of its nodes' median kernel times. "
           "The kernel total leaves out the session's own work per run, so it is below the run's median.", ""]
    rows, notes = [], []
    for key, title in LATENCY_MODELS[1:3]:
        result = read_json(results, f"latency-{key}-onnx-1.json")
        layers, parent = (result or {}).get("layers"), (result or {}).get("parent_layers")
        if not layers or not parent:
            rows.append([title] + ["n/a"] * 9)
            continue
        parent_stages = {s["stage"]: s for s in parent["stages"]}
        for stage in layers["stages"] + [None]:
            if stage is None:
                model_ms, parent_ms = layers_total(layers), layers_total(parent)
                rows.append([title, "all kernels", "", "", "", f"{parent_ms:.3f}", f"{model_ms:.3f}", "100 %",
                             f"{parent_ms / model_ms:.2f}x", ""])
                continue
            p = parent_stages.get(stage["stage"])
            share = stage["median_ms"] / layers_total(layers)
            speedup = p["median_ms"] / stage["median_ms"] if p and stage["median_ms"] > 0 else None
            ratio = p["macs"] / stage["macs"] if p and stage["macs"] else None
            rows.append([title, stage["stage"], count(stage["macs"]), count(stage["executed_macs"]),
                         count(p["executed_macs"]) if p else "", f"{p['median_ms']:.3f}" if p else "",
                         f"{stage['median_ms']:.3f}", f"{share:.0%}".replace("%", " %"),
                         f"{speedup:.2f}x" if speedup else "", f"{ratio:.2f}x" if ratio else ""])
            if key == "c123" and share >= 0.05:
                notes.append(f"{stage['stage']} takes {share:.0%} of the kernel time, with a speed-up of {fmt(speedup, 2)}x "
                             f"over the parent's for a MACs ratio of {fmt(ratio, 2)}x".replace("%", " %"))
    out += [table(["model", "stage", "MACs", "executed MACs", "parent executed MACs", "parent ms", "model ms",
                   "share", "speed-up", "MACs ratio"], rows), ""]
    if notes:
        out += ["In C1+C2+C3: " + "; ".join(notes) + ".", ""]
    return out + node_table(results)


def node_table(results):
    """The nodes ONNX Runtime ran for C1+C2+C3 and its parent (after its own rewrites), in run order."""
    result = read_json(results, "latency-c123-onnx-1.json") or {}
    runs = [("DCASE21_Net (unpruned)", result.get("parent_layers")), ("C1+C2+C3", result.get("layers"))]
    rows = [[title, n["stage"], n["node"], n["op"], f"{n['median_ms']:.3f}"]
            for title, profile in runs if profile for n in profile["nodes"]]
    if not rows:
        return []
    return ["The nodes ONNX Runtime ran for C1+C2+C3 and its parent, in run order, as its graph optimiser rewrote them "
            "(ReorderInput/ReorderOutput convert between its blocked and plain layouts; the median kernel time of each):",
            "", table(["model", "stage", "node", "op", "ms"], rows), ""]


def count(value):
    return f"{value / 1e6:,.1f} M" if value >= 1e5 else f"{value / 1e3:,.1f} k"


def layers_total(profile):
    return sum(s["median_ms"] for s in profile["stages"])


def features_section(results):
    text = read_text(results, "features.txt") or ""
    single = re.search(r"1 thread:\s+([\d.]+) clips/s wall, ([\d.]+) clips per CPU-second", text)
    multi = re.search(r"(\d+) threads: ([\d.]+) clips/s wall \(([\d.]+) per core\), ([\d.]+) clips per CPU-second", text)
    load = re.search(r"load average (\S+)", text)
    out = ["## 4. Feature extraction (10 s clips, WAV decoding included)", "",
           "`AudioPrune.Bench.Features`: synthetic 10 s, 44.1 kHz, 16-bit stereo WAV files to dcase2021 log-mel "
           "examples (1x40x500): read, decode, downmix, resample, mel. Clips per CPU-second is the per-core rate "
           "(it stays meaningful on a shared machine); the wall-clock rates are shown beside it.", ""]
    if not single:
        return out + ["(no result)", ""], None
    per_core = float(single.group(2))
    rows = [["1 thread", single.group(1), single.group(2)]]
    if multi:
        rows.append([f"{multi.group(1)} threads", f"{multi.group(2)} ({multi.group(3)} per core)", multi.group(4)])
    out += [table(["run", "clips/s wall", "clips per CPU-second"], rows), "",
            f"Load average during the run: {load.group(1) if load else 'n/a'}. Target: at least 30 clips per second "
            f"per core: {per_core:.1f}, {verdict(per_core >= 30)} ({per_core / 30:.1f}x the target).", ""]
    return out, per_core


def groups_section(results):
    data = read_json(results, "groups.json")
    out = ["## 6. ONNX import and channel-group pruning", "",
           "`AudioPrune.Bench.Groups` on torchvision networks that `bench/onnx_models.py` exports from PyTorch (one-channel "
           "stem, 1x64x100 input, batch norm kept): the time to import resnet18 (about 45 MB), and on mobilenet_v2 the "
           "time to find the channel groups and to score every prunable group and rebuild the network (importance plus "
           "surgery), best of the repeated runs after an untimed one.", ""]
    if not data:
        return out + ["(no result)", ""], None, None
    rows = [[c["method"], fmt(c["importance_ms"]), fmt(c["total_ms"])] for c in data["criteria"]]
    out += [f"resnet18.onnx ({data['resnet_bytes']:,} bytes) imported in {fmt(data['import_resnet18_ms'])} ms (target < 2,000 ms: "
            f"{verdict(data['import_resnet18_ms'] < 2000)}). mobilenet_v2: {data['groups']} groups, {data['prunable']} prunable, "
            f"found in {fmt(data['analyse_ms'])} ms.", "",
            table(["criterion", "importance ms", "importance + surgery ms"], rows), ""]
    similarity = next((c["total_ms"] for c in data["criteria"] if c["method"] == "similarity"), None)
    return out, data["import_resnet18_ms"], similarity


def gnu_time(path):
    """(peak RSS MiB, elapsed seconds, exit status), or None for a run that did not finish."""
    text = path.read_text()
    rss_match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    elapsed_match = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if not rss_match or not elapsed_match:
        return None
    rss, elapsed = int(rss_match.group(1)), elapsed_match.group(1)
    seconds = 0.0
    for part in elapsed.split(":"):
        seconds = seconds * 60 + float(part)
    status = int(re.search(r"Exit status: (\d+)", text).group(1))
    return rss / 1024, seconds, status


def memory_section(results):
    out = ["## 5. Peak resident memory (GNU time)", "",
           "`/usr/bin/time -v`, \"Maximum resident set size\", of whole-program runs, repeated: median (min-max). "
           "The elapsed time of the same runs is shown beside it.", ""]
    rows = []
    cases = [("memory-prune-cnn14", "`audioprune prune cnn14 --method similarity` (320 MB fp32 weights in, pruned model out)"),
             ("memory-train-dcase21", "DCASE21_Net training, TorchSharp (`AudioPrune.Bench.Training`, batch 32, 1 thread, a fixed number of steps: see Commands)"),
             ("memory-train-pytorch", "DCASE21_Net training, PyTorch (`pytorch_train_step.py`, same steps)"),
             ("memory-epoch-dcase21", "one DCASE21_Net training epoch of `audioprune train` on generated 10 s scenes, "
                                      "feature extraction included, 1 thread (clip count: see Commands)")]
    figures = {}
    for stem, title in cases:
        runs = [r for r in (gnu_time(p) for p in sorted(results.glob(f"{stem}-*.time"))) if r]
        if not runs:
            continue
        rss = [r[0] for r in runs]
        secs = [r[1] for r in runs]
        failed = sum(1 for r in runs if r[2] != 0)
        figures[stem] = statistics.median(rss)
        rows.append([title, len(runs), f"{statistics.median(rss):,.0f} ({min(rss):,.0f}-{max(rss):,.0f})",
                     f"{statistics.median(secs):.1f} ({min(secs):.1f}-{max(secs):.1f})",
                     "all exited 0" if not failed else f"**{failed} failed**"])
    out += [table(["program", "runs", "peak RSS MiB", "elapsed s", "status"], rows), ""]
    if "memory-train-dcase21" in figures and "memory-train-pytorch" in figures:
        out += [f"TorchSharp / PyTorch peak RSS for the same training steps: "
                f"{figures['memory-train-dcase21'] / figures['memory-train-pytorch']:.2f}x.", ""]
    if "memory-prune-cnn14" in figures:
        out += [f"Pruning CNN14 peaks at {figures['memory-prune-cnn14'] / 308.1:.1f}x the fp32 model size "
                "(80.77 M parameters, 308.1 MiB).", ""]
    return out, figures


def main():
    results, output = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    root = Path(__file__).resolve().parent.parent
    quick = (read_text(results, "quick.txt") or "0").strip() == "1"
    caps_text = (read_text(results, "loop-caps.txt") or "").split()
    caps = {"dcase21": caps_text[0], "vggish": caps_text[0], "cnn14": caps_text[1]} if len(caps_text) == 2 else {}
    load_start = (read_text(results, "load-start.txt") or "n/a").split()[:3]
    load_end = (read_text(results, "load-end.txt") or "n/a").split()[:3]
    info = machine(results, root)
    loads = [float(x) for x in load_start + load_end if re.fullmatch(r"[\d.]+", x)]
    busy = loads and max(loads) > info["cores"]
    commands = (read_text(results, "commands.txt") or "").strip().splitlines()

    importance, vggish_checks, identical = importance_section(results, caps)
    training, (training_met, train_ratios) = training_section(results)
    latency, efficiency = latency_section(results)
    features, per_core = features_section(results)
    memory, _ = memory_section(results)
    groups, import_ms, group_ms = groups_section(results)

    lines = ["# Benchmarks", "",
             f"Written by `bench/run{' --quick' if quick else ''}` (generator: `bench/report.py`). "
             f"Started {(read_text(results, 'started.txt') or 'n/a').strip()}, finished "
             f"{(read_text(results, 'finished.txt') or 'n/a').strip()} (UTC)."
             + (" **Quick mode**: reduced repetitions; rough figures." if quick else ""), "",
             "## Machine", "",
             table(["", ""], [["CPU", info["cpu"]], ["cores", info["cores"]], ["memory", info["memory"]],
                              ["OS", info["os"]], [".NET", info["dotnet"]], ["libraries", info["libraries"]],
                              ["Python reference", info["python"]],
                              ["load average (1/5/15 min)", f"start {' '.join(load_start)}, end {' '.join(load_end)}"]]), ""]
    if busy:
        lines += [f"**The machine was shared with other work** (load average up to {max(loads):.1f} on "
                  f"{info['cores']} cores): wall-clock figures are pessimistic and noisy. Ratios between peers "
                  "measured back to back in the same run are more telling than absolute times.", ""]
    vg = vggish_checks or (None, None, False)
    lines += ["## Summary against the targets", "",
              table(["measure", "figure", "target", "verdict"], [
                  ["similarity vs pairwise-loop NumPy, VGGish_Net", f"{fmt(vg[0])}x faster", ">= 100x",
                   verdict(vg[0] is not None and vg[0] >= 100)],
                  ["similarity vs vectorised NumPy, VGGish_Net", f"{fmt(vg[1], 2)}x faster", "> 1x",
                   verdict(vg[1] is not None and vg[1] > 1)],
                  ["kept sets .NET vs NumPy", "identical" if identical else "differ", "identical", verdict(identical)],
                  ["training throughput vs PyTorch, same threads (1 and 2)",
                   ", ".join(f"{fmt(r, 2)}x ({t} thread{'s' if t > 1 else ''})" for t, r in train_ratios.items()) or "n/a",
                   ">= 1.0x", verdict(training_met)],
                  ["MAC efficiency, C1+C2+C3, ONNX, batch 1", fmt(efficiency, 2), ">= 0.8",
                   verdict(efficiency is not None and efficiency >= 0.8)],
                  ["feature extraction, clips/s per core", fmt(per_core), ">= 30",
                   verdict(per_core is not None and per_core >= 30)],
                  ["import of a 45 MB ONNX (resnet18)", f"{fmt(import_ms)} ms", "< 2,000 ms",
                   verdict(import_ms is not None and import_ms < 2000)],
                  ["similarity importance + surgery, all groups of mobilenet_v2", f"{fmt(group_ms)} ms", "< 100 ms",
                   verdict(group_ms is not None and group_ms < 100)],
              ]), ""]
    failures = (read_text(results, "failures.txt") or "").strip().splitlines()
    if failures:
        lines += ["**Steps that failed** (their figures are missing below):", ""] + [f"- `{f}`" for f in failures] + [""]
    lines += importance + micro_section(results) + training + latency + stage_section(results) + features + memory + groups
    lines += ["## Commands", "", "Everything above was produced by one command from the repository root:", "",
              "```", f"bench/run{' --quick' if quick else ''}", "```", "",
              "which ran, in order (results folder paths relative to the repository root):", "", "```"] + commands + ["```", ""]
    output.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
