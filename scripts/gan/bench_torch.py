#!/usr/bin/env python3
"""PyTorch CPU side of `npm run bench -- gan` (scripts/bench-gan.ts): the upsample-conv generator
architecture (ganlib.Generator, eval mode, no grad) and a matrix-multiply peak, one thread per process unless --threads.

    bench_torch.py generate --resolution 64 --images 256 --batch 16    (prints "ready", waits for a line on stdin, runs)
    bench_torch.py matmul --size 1024                                   (torch and numpy float32 GFLOP/s)
"""
import argparse
import json
import os
import sys
import time

_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
os.environ.setdefault("OMP_NUM_THREADS", _threads)
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads)
import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ganlib  # noqa: E402


def generate(args):
    torch.set_num_threads(args.threads)
    spec = ganlib.Spec(resolution=args.resolution, latent_dim=args.latent, base_channels=args.base_channels, min_channels=args.min_channels)
    gen = ganlib.Generator(spec).eval()
    x = torch.randn(args.batch, spec.input_dim)
    with torch.no_grad():
        gen(x)  # warm-up
        print("ready", flush=True)
        sys.stdin.readline()
        start = time.time()
        done = 0
        while done < args.images:
            gen(torch.randn(min(args.batch, args.images - done), spec.input_dim))
            done += args.batch
        end = time.time()
    print(json.dumps({"images": args.images, "start": start * 1000, "end": end * 1000, "flopsPerImage": ganlib.generator_flops(spec)}), flush=True)


def matmul(args):
    torch.set_num_threads(1)
    n = args.size
    out = {}
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    start = time.time()
    reps = 0
    while time.time() - start < args.seconds:
        a @ b
        reps += 1
    out["torch"] = 2 * n**3 * reps / (time.time() - start) / 1e9
    an, bn = a.numpy(), b.numpy()
    an @ bn
    start = time.time()
    reps = 0
    while time.time() - start < args.seconds:
        an @ bn
        reps += 1
    out["numpy"] = 2 * n**3 * reps / (time.time() - start) / 1e9
    print(json.dumps(out), flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--resolution", type=int, default=64)
    g.add_argument("--latent", type=int, default=64)
    g.add_argument("--base-channels", type=int, default=128)
    g.add_argument("--min-channels", type=int, default=8)
    g.add_argument("--images", type=int, default=256)
    g.add_argument("--batch", type=int, default=16)
    g.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (intra-op threads in this one process)")
    m = sub.add_parser("matmul")
    m.add_argument("--size", type=int, default=1024)
    m.add_argument("--seconds", type=float, default=2.0)
    args = p.parse_args()
    generate(args) if args.mode == "generate" else matmul(args)


if __name__ == "__main__":
    main()
