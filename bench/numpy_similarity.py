#!/usr/bin/env python3
"""Reference implementation of the similarity-based filter selection in NumPy, timed two ways:
a pairwise Python loop over filter pairs (as the papers timed it) and a vectorised matrix product.

Usage: numpy_similarity.py MODEL.safetensors [--layers a,b,...] [--skip-loop-above N]
Prints JSON: per conv layer, the kept filters and the seconds of each variant.
Reads the safetensors file directly (8-byte header length, JSON header, float32 data)."""
import argparse
import json
import struct
import time

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name} is {info['dtype']}, expected F32")
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype=np.float32).reshape(info["shape"])
    return tensors, header.get("__metadata__", {})


def prototypes(weight):
    """Rank-1 prototype per filter: sign(V[0,0]) * U[:,0] of the (kh*kw x C) matrix, unit norm."""
    filters, channels, kh, kw = weight.shape
    result = np.empty((filters, kh * kw))
    for f in range(filters):
        x = weight[f].reshape(channels, kh * kw).T.astype(np.float64)
        u, s, vt = np.linalg.svd(x, full_matrices=False)
        v00 = vt[0, 0]
        if v00 == 0:
            nonzero = vt[0][vt[0] != 0]
            v00 = nonzero[0] if len(nonzero) else 1.0
        p = u[:, 0] * np.sign(v00)
        result[f] = p / np.linalg.norm(p)
    return result


def distances_loop(p):
    n = len(p)
    d = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            d[i, j] = 1.0 - np.dot(p[i], p[j]) / (np.linalg.norm(p[i]) * np.linalg.norm(p[j]))
    return d


def distances_vectorised(p):
    return 1.0 - p @ p.T


def greedy_kept(d):
    n = len(d)
    masked = d + np.diag(np.full(n, np.inf))
    nearest = np.argmin(masked, axis=1)  # ties: lowest index
    closest = masked[np.arange(n), nearest]
    order = np.argsort(closest, kind="stable")
    kept, redundant = set(), set()
    for i in order:
        if i in redundant:
            continue
        kept.add(int(i))
        if int(nearest[i]) not in kept:
            redundant.add(int(nearest[i]))
    return sorted(kept)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--layers", default="")
    parser.add_argument("--skip-loop-above", type=int, default=1024,
                        help="skip the pairwise loop for layers with more filters (it grows as n^2 Python steps)")
    args = parser.parse_args()
    tensors, _ = read_safetensors(args.model)
    conv_names = [n[: -len(".weight")] for n, t in tensors.items() if n.endswith(".weight") and t.ndim == 4]
    if args.layers:
        conv_names = [n for n in conv_names if n in args.layers.split(",")]
    layers = []
    for name in conv_names:
        w = tensors[name + ".weight"]
        start = time.perf_counter()
        p = prototypes(w)
        kept = greedy_kept(distances_vectorised(p))
        vectorised = time.perf_counter() - start
        loop = None
        if w.shape[0] <= args.skip_loop_above:
            start = time.perf_counter()
            p = prototypes(w)
            kept_loop = greedy_kept(distances_loop(p))
            loop = time.perf_counter() - start
            if kept_loop != kept:
                raise SystemExit(f"{name}: loop and vectorised selections differ")
        layers.append({"name": name, "filters": int(w.shape[0]), "kept": kept,
                       "seconds_vectorised": vectorised, "seconds_loop": loop})
    print(json.dumps({"numpy": np.__version__, "layers": layers}))


if __name__ == "__main__":
    main()
