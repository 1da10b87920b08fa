#!/usr/bin/env python3
"""Memorisation indicator for a trained generator (for its model card): for N generated images, the highest
Pearson correlation with any training image (64x64, whole image), next to the same figure for N held-out
real images against the training images. With --holdout H (what train.py --holdout H trained with) the training
images are all but the last H and the held-out real ones are drawn from the last H; without it, N random images
are set aside. --state takes a train-state.pt or an EMA snapshot (snapshots/ema-*.pt); pgan-lite runs use the EMA.
--checkpoint takes an exported pgan-lite folder instead (with what export added: tone curve, background clean-up).
The app's own memorisation check (lib/privacy, per batch) is the one that quarantines; this is a quick look at
training time.

    nearest_real.py --state out/train-state.pt --data train.u8.gz [--holdout 1000] [--n 500] [--threshold 0.97]
    nearest_real.py --checkpoint checkpoints/demo-ct-64 --data train.u8.gz --holdout 1000
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ganlib  # noqa: E402


def normalise(a: np.ndarray) -> np.ndarray:
    a = a.reshape(a.shape[0], -1).astype(np.float64)
    a -= a.mean(1, keepdims=True)
    a /= np.linalg.norm(a, axis=1, keepdims=True) + 1e-12
    return a


def main():
    p = argparse.ArgumentParser()
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--state")
    source.add_argument("--checkpoint", help="an exported pgan-lite checkpoint folder")
    p.add_argument("--data", required=True)
    p.add_argument("--side", type=int, default=64)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--threshold", type=float, default=0.97)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--holdout", type=int, default=0, help="the last H images were held out of training (train.py --holdout)")
    a = p.parse_args()
    if a.checkpoint:
        gen = ganlib.load_graph_checkpoint(a.checkpoint)
        with open(os.path.join(a.checkpoint, "checkpoint.json")) as f:
            state = {"steps": json.load(f).get("training", {}).get("steps")}
        spec = gen.spec
    else:
        state = torch.load(a.state)
        spec = ganlib.Spec(**state["spec"])
        pgan = state.get("arch") == "pgan-lite"
        gen = ganlib.PganGenerator(spec) if pgan else ganlib.Generator(spec)
        gen.load_state_dict(state["ema"] if pgan else state["generator"])
    gen.eval()
    torch.manual_seed(a.seed)
    with torch.no_grad():
        fake = ((gen(torch.randn(a.n, spec.input_dim))[:, 0].numpy() + 1) * 127.5).round().clip(0, 255)
    real = ganlib.resize_all(ganlib.load_u8_gz(a.data, a.side), spec.resolution)
    rng = np.random.default_rng(a.seed)
    if a.holdout:
        held = real.shape[0] - a.holdout + rng.choice(a.holdout, min(a.n, a.holdout), replace=False)
        rest = np.arange(real.shape[0] - a.holdout)
    else:
        held = rng.choice(real.shape[0], a.n, replace=False)
        rest = np.setdiff1d(np.arange(real.shape[0]), held)
    train = normalise(real[rest])
    synthetic_max = (normalise(fake) @ train.T).max(1)
    real_max = (normalise(real[held]) @ train.T).max(1)
    summary = lambda x: {"median": round(float(np.median(x)), 4), "p99": round(float(np.quantile(x, 0.99)), 4), "max": round(float(x.max()), 4), f"atOrAbove{a.threshold}": int((x >= a.threshold).sum())}
    print(json.dumps({"n": a.n, "state": os.path.basename(os.path.normpath(a.checkpoint or a.state)), "steps": state.get("steps"), "trainingImages": int(rest.size), "synthetic": summary(synthetic_max), "heldOutReal": summary(real_max)}, indent=2))


if __name__ == "__main__":
    main()
