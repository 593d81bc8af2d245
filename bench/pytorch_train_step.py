#!/usr/bin/env python3
"""Training throughput of DCASE21_Net in PyTorch: the same network, batch and step as
bench/AudioPrune.Bench.Training (forward, cross-entropy, backward, Adam lr 1e-3) at batch 32 on 1 and 2 threads.

Run with Debian's PyTorch:  apt-get install -y python3-torch && /usr/bin/python3 bench/pytorch_train_step.py
Like the .NET program, it first raises glibc's mmap and trim thresholds (see src/AudioPrune/Runtime/NativeRuntime.cs):
without that, every large tensor is a fresh mmap and steps are several times slower on these machines.
"""
import argparse
import ctypes
import os
import statistics
import time


def tune_allocator():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 30)        # M_MMAP_THRESHOLD
        libc.mallopt(-1, 2**31 - 1)      # M_TRIM_THRESHOLD
        return True
    except OSError:
        return False


def dcase21(torch, widths=(16, 16, 32), classes=10):
    nn = torch.nn
    c1, c2, c3 = widths
    # Keras original: 'same' 7x7 convolutions, BatchNormalization epsilon 1e-3, dropout 0.3.
    return nn.Sequential(
        nn.Conv2d(1, c1, 7, padding=3), nn.BatchNorm2d(c1, eps=1e-3), nn.ReLU(),
        nn.Conv2d(c1, c2, 7, padding=3), nn.BatchNorm2d(c2, eps=1e-3), nn.ReLU(),
        nn.MaxPool2d(5), nn.Dropout(0.3),
        nn.Conv2d(c2, c3, 7, padding=3), nn.BatchNorm2d(c3, eps=1e-3), nn.ReLU(),
        nn.MaxPool2d((4, 100)), nn.Dropout(0.3),
        nn.Flatten(), nn.Linear(c3 * 2 * 1, 100), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(100, classes))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--widths", default="16,16,32", help="conv widths (a pruned DCASE21_Net)")
    parser.add_argument("--channels-last", action="store_true",
                        help="model and input in torch.channels_last (PyTorch's default is NCHW)")
    args = parser.parse_args()
    widths = tuple(int(w) for w in args.widths.split(","))
    tuned = tune_allocator()
    import torch  # after mallopt, before the first tensor
    print(f"DCASE21_Net {'/'.join(map(str, widths))} 1x40x500, 10 classes, batch {args.batch}, Adam lr 1e-3, {args.warmup} warm-up + "
          f"{args.steps} timed steps; PyTorch {torch.__version__}; allocator tuned: {tuned}; "
          f"oneDNN instruction set: {os.environ.get('ONEDNN_MAX_CPU_ISA', 'uncapped')}; "
          f"memory format: {'channels_last' if args.channels_last else 'contiguous (NCHW, the default)'}")
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        torch.manual_seed(1)
        model = dcase21(torch, widths)
        model.train()
        features = torch.randn(args.batch, 1, 40, 500)
        if args.channels_last:
            model = model.to(memory_format=torch.channels_last)
            features = features.contiguous(memory_format=torch.channels_last)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        labels = torch.randint(0, 10, (args.batch,))

        def step():
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(features), labels)
            loss.backward()
            optimizer.step()
            return loss.item()

        for _ in range(args.warmup):
            step()
        times = []
        for _ in range(args.steps):
            start = time.perf_counter()
            step()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"threads {threads}: median step {median:.3f} s (min {min(times):.3f}, max {max(times):.3f}) "
              f"-> {args.batch / median:.1f} samples/s")


if __name__ == "__main__":
    main()
