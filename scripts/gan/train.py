#!/usr/bin/env python3
"""Trains a small (optionally label-conditional) generator and exports it straight to the app's checkpoint format.

    /usr/bin/python3 scripts/gan/train.py --data ../shared/data/train/mednist-headct-64.u8.gz \\
        --modality CT_HEAD --name demo-ct-64 --out checkpoints/demo-ct-64 --minutes 10

Data: a gzip of raw uint8 [N, R, R] or a folder of greyscale PNGs (--data), resized to --resolution when needed;
optional multi-hot labels from a CSV (--labels: columns file,labels with labels pipe-separated; for an array,
file is the image index). Loss: hinge (default, spectral-norm discriminator), wgan-gp, or dcgan (non-saturating).
Logs losses to stdout and log.csv, saves sample grids (samples/), and writes model.json + weights.bin +
checkpoint.json (+ --zip) that `POST /api/admin/checkpoints` accepts. See README "GAN checkpoints".

--probe-in / --probe-out: after export, run the exported generator (eval mode) on float32 inputs read from a raw
little-endian file [B, latent+labels] and write its outputs [B, R, R] the same way (the tfjs agreement test).
"""
from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ganlib  # noqa: E402

TRAIN_VERSION = "train.py/1"


def code_version() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=os.path.dirname(os.path.abspath(__file__)), timeout=5).stdout.strip()
    except Exception:  # noqa: BLE001 - git is optional
        sha = ""
    return f"{TRAIN_VERSION}{'+' + sha if sha else ''}"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="*.u8.gz array or a folder of PNGs")
    p.add_argument("--side", type=int, default=64, help="image side of a *.u8.gz array (it has no header)")
    p.add_argument("--labels", help="CSV file,labels (pipe-separated) for conditioning")
    p.add_argument("--out", required=True, help="output folder (checkpoint files, log.csv, samples/)")
    p.add_argument("--zip", help="also write the checkpoint as this zip")
    p.add_argument("--name", required=True)
    p.add_argument("--modality", required=True, choices=["CXR", "CT_HEAD"])
    p.add_argument("--arch", choices=["pgan-lite", "upsample-conv"], default="pgan-lite",
                   help="pgan-lite: equalised LR, pixel norm, minibatch stddev, EMA, graph-model export (default); "
                        "upsample-conv: batch norm, spectral-norm D, layers-model export")
    p.add_argument("--holdout", type=int, default=0,
                   help="leave the last N images out of training (held out for evaluation and the demo's real images)")
    p.add_argument("--resolution", type=int, default=64)
    p.add_argument("--latent", type=int, default=64)
    p.add_argument("--base-channels", type=int, default=128)
    p.add_argument("--min-channels", type=int, default=8)
    p.add_argument("--d-channels", type=int, default=16, help="discriminator width at full resolution")
    p.add_argument("--loss", choices=["hinge", "wgan-gp", "dcgan"], default=None,
                   help="default: dcgan (non-saturating logistic) with --r1 for pgan-lite, hinge for upsample-conv")
    p.add_argument("--r1", type=float, default=0.1, help="R1 penalty weight gamma (pgan-lite; 0: none)")
    p.add_argument("--r1-every", type=int, default=4, help="lazy R1: apply it every N discriminator steps, scaled by N")
    p.add_argument("--ema-kimg", type=float, default=10, help="half-life of the generator's EMA in thousands of images (pgan-lite)")
    p.add_argument("--checkpoint-minutes", type=float, default=5,
                   help="save train-state.pt and an EMA snapshot (snapshots/) this often, so a run can stop any time")
    p.add_argument("--state", help="where train-state.pt goes (default: OUT/train-state.pt)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=None, help="default: 2e-3 for pgan-lite (equalised LR), 2e-4 otherwise; with --resume, "
                        "the resumed run's rate unless given (then it replaces it, e.g. to decay the rate late in training)")
    p.add_argument("--steps", type=int, default=0, help="stop after this many generator steps (0: no limit)")
    p.add_argument("--minutes", type=float, default=0, help="stop after this much wall time (0: no limit)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--log-every", type=int, default=25)
    p.add_argument("--sample-every", type=int, default=200)
    p.add_argument("--limit", type=int, default=0, help="use only the first N images")
    p.add_argument("--data-name", default="", help="training data, for checkpoint.json")
    p.add_argument("--licence", default="", help="licence of the training data, for checkpoint.json")
    p.add_argument("--resume", help="train-state.pt of an earlier run (same settings) to continue from")
    p.add_argument("--init-from", help="a pgan-lite checkpoint folder this script exported: start the generator (and its EMA) "
                   "from its weights, with a fresh discriminator and optimisers (fine-tuning when the training state is gone)")
    p.add_argument("--d-warmup", type=int, default=200, help="with --init-from: discriminator-only steps before training both")
    p.add_argument("--background-grey", type=float, default=None,
                   help="pgan-lite: snap the output to this background grey level (0..255) within --snap-grey levels (ganlib.background_snap)")
    p.add_argument("--snap-grey", type=float, default=4.0, help="half-width of the background snap in grey levels")
    p.add_argument("--tone-curve", type=int, default=0,
                   help="pgan-lite, at export: fit a tone curve of this many knots that matches the generator's grey levels to the "
                        "training images' (quantile matching on --tone-samples generated images; 0: none)")
    p.add_argument("--background-cleanup", type=int, default=0,
                   help="with --background-grey, at export: a pixel off the background with at least this many of its 8 neighbours "
                        "on it joins the background (5..8; 0: none)")
    p.add_argument("--tone-samples", type=int, default=4096, help="generated images the tone curve is fitted on")
    p.add_argument("--export-snapshot", help="no training: export this EMA snapshot (OUT/snapshots/ema-*.pt of a pgan-lite run) to --out")
    p.add_argument("--probe-in")
    p.add_argument("--probe-out")
    a = p.parse_args(argv)
    if not a.steps and not a.minutes and not a.export_snapshot:
        p.error("give --steps or --minutes (or both)")
    if a.loss is None:
        a.loss = "dcgan" if a.arch == "pgan-lite" else "hinge"
    a.lr_given = a.lr is not None
    if a.lr is None:
        a.lr = 2e-3 if a.arch == "pgan-lite" else 2e-4
    if a.arch != "pgan-lite":
        a.r1 = 0.0
        if a.background_grey is not None or a.init_from or a.tone_curve:
            p.error("--background-grey, --init-from and --tone-curve need --arch pgan-lite")
    if a.background_cleanup and (a.background_grey is None or not 1 <= a.background_cleanup <= 8):
        p.error("--background-cleanup needs --background-grey and a neighbour count from 1 to 8")
    if a.tone_curve == 1 or a.tone_curve < 0:
        p.error("--tone-curve needs 2 or more knots (or 0: none)")
    if a.init_from and a.resume:
        p.error("give --init-from or --resume, not both")
    return a


def load_data(args):
    if os.path.isdir(args.data):
        images, keys = ganlib.load_folder(args.data)
    else:
        images = ganlib.load_u8_gz(args.data, args.side)
        keys = [str(i) for i in range(images.shape[0])]
    if args.holdout:
        if args.holdout >= images.shape[0]:
            raise SystemExit(f"--holdout {args.holdout}: the data has only {images.shape[0]} images")
        images, keys = images[: -args.holdout], keys[: -args.holdout]
    if args.limit:
        images, keys = images[: args.limit], keys[: args.limit]
    images = ganlib.resize_all(images, args.resolution)
    vocabulary, labels = ([], np.zeros((images.shape[0], 0), dtype=np.float32))
    if args.labels:
        vocabulary, labels = ganlib.read_labels_csv(args.labels, keys)
    x = torch.from_numpy(images.astype(np.float32) / 127.5 - 1.0).unsqueeze(1)
    return x, torch.from_numpy(labels), vocabulary


def d_loss_fn(kind, real_out, fake_out):
    if kind == "hinge":
        return F.relu(1 - real_out).mean() + F.relu(1 + fake_out).mean()
    if kind == "dcgan":
        return F.softplus(-real_out).mean() + F.softplus(fake_out).mean()
    return fake_out.mean() - real_out.mean()


def g_loss_fn(kind, fake_out):
    return F.softplus(-fake_out).mean() if kind == "dcgan" else -fake_out.mean()


def gradient_penalty(disc, real, fake, labels):
    alpha = torch.rand(real.shape[0], 1, 1, 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = disc(mixed, labels)
    (grad,) = torch.autograd.grad(out.sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


@torch.no_grad()
def recalibrate_batchnorm(gen, label_pool, batches=32, batch=64):
    """Population statistics for the final weights (cumulative average over fresh latents) before export."""
    for bn in [gen.bn0, *gen.bns]:
        bn.reset_running_stats()
        bn.momentum = None
    gen.train()
    for _ in range(batches):
        gen(sample_inputs(gen.spec, label_pool, batch))
    for bn in [gen.bn0, *gen.bns]:
        bn.momentum = 0.1
    gen.eval()


def sample_inputs(spec, label_pool, n):
    z = torch.randn(n, spec.latent_dim)
    if not spec.labels:
        return z
    idx = torch.randint(0, label_pool.shape[0], (n,))
    return torch.cat([z, label_pool[idx]], dim=1)


def make_networks(args, spec):
    if args.arch == "pgan-lite":
        return ganlib.PganGenerator(spec), ganlib.PganDiscriminator(spec, base=args.d_channels)
    return ganlib.Generator(spec), ganlib.Discriminator(spec, base=args.d_channels, spectral=args.loss == "hinge")


def r1_penalty(disc, real, labels):
    """R1 (Mescheder et al. 2018): squared gradient norm of D at real images; returns (D(real), penalty)."""
    real = real.detach().requires_grad_(True)
    out = disc(real, labels)
    (grad,) = torch.autograd.grad(out.sum(), real, create_graph=True)
    return out, grad.pow(2).flatten(1).sum(1).mean()


@torch.no_grad()
def update_ema(ema, gen, beta):
    for pe, p in zip(ema.parameters(), gen.parameters()):
        pe.lerp_(p, 1 - beta)


def save_state(path, spec, gen, ema, disc, opt_g, opt_d, step, wall, args):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    torch.save({"spec": ganlib.asdict(spec), "arch": args.arch, "generator": gen.state_dict(),
                "ema": ema.state_dict() if ema is not None else None, "discriminator": disc.state_dict(),
                "steps": step, "wallSeconds": wall, "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict()}, tmp)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    state_path = args.state or os.path.join(args.out, "train-state.pt")
    x, labels, vocabulary = load_data(args)
    n = x.shape[0]
    spec = ganlib.Spec(resolution=args.resolution, latent_dim=args.latent, labels=vocabulary,
                       base_channels=args.base_channels, min_channels=args.min_channels,
                       background_grey=args.background_grey, snap_grey=args.snap_grey if args.background_grey is not None else 0.0)
    gen, disc = make_networks(args, spec)
    if args.export_snapshot:
        if args.init_from:
            read_init_from(args)  # the snapshot's run started from there: its manifest says so
        snap = torch.load(args.export_snapshot)
        if ganlib.Spec(**snap["spec"]) != spec or snap.get("arch") != args.arch:
            raise SystemExit(f"--export-snapshot: {args.export_snapshot} holds {snap.get('arch')} {snap['spec']}, not {args.arch} {ganlib.asdict(spec)}")
        gen.load_state_dict(snap["ema"])
        export(args, gen, x, labels, snap["steps"], snap["wallSeconds"], sample_inputs(spec, labels if spec.labels else None, 32))
        return
    os.makedirs(os.path.join(args.out, "samples"), exist_ok=True)
    pgan = args.arch == "pgan-lite"
    ema = copy.deepcopy(gen).eval().requires_grad_(False) if pgan else None
    betas = (0.0, 0.99) if pgan else (0.0, 0.9) if args.loss == "wgan-gp" else (0.5, 0.999)
    opt_g = torch.optim.Adam(gen.parameters(), lr=args.lr, betas=betas)
    opt_d = torch.optim.Adam(disc.parameters(), lr=args.lr, betas=betas)
    n_critic = 5 if args.loss == "wgan-gp" else 1
    step, previous_wall = 0, 0.0
    if args.init_from:
        start = ganlib.load_graph_checkpoint(args.init_from)
        trained = lambda s: {k: v for k, v in ganlib.asdict(s).items() if k not in ("background_grey", "snap_grey", "tone_curve", "background_cleanup")}
        if trained(start.spec) != trained(spec):
            raise SystemExit(f"--init-from: {args.init_from} holds {ganlib.asdict(start.spec)}, not {ganlib.asdict(spec)}")
        gen.load_state_dict(start.state_dict())
        ema.load_state_dict(start.state_dict())
        read_init_from(args)
        print(f"starting from {args.init_from} ({args.init_steps} steps, {args.init_wall:.0f} s); fresh discriminator"
              f"{'; its tone curve is left out (--tone-curve fits a new one at export)' if start.spec.tone_curve else ''}"
              f"{'; its background clean-up is left out (--background-cleanup sets one at export)' if start.spec.background_cleanup else ''}", flush=True)
    if args.resume:
        state = torch.load(args.resume)
        if ganlib.Spec(**state["spec"]) != spec or state.get("arch", "upsample-conv") != args.arch:
            raise SystemExit(f"--resume: {args.resume} was trained with {state.get('arch', 'upsample-conv')} {state['spec']}, "
                             f"not {args.arch} {ganlib.asdict(spec)}")
        gen.load_state_dict(state["generator"])
        disc.load_state_dict(state["discriminator"])
        if ema is not None:
            ema.load_state_dict(state["ema"])
        if "opt_g" in state:
            opt_g.load_state_dict(state["opt_g"])
            opt_d.load_state_dict(state["opt_d"])
            for group in [*opt_g.param_groups, *opt_d.param_groups]:
                if args.lr_given:
                    group["lr"] = args.lr
                else:
                    args.lr = group["lr"]
        step, previous_wall = state["steps"], state.get("wallSeconds", 0.0)
        print(f"resuming after step {step} ({previous_wall:.0f} s)", flush=True)
    flops = ganlib.pgan_flops(spec) if pgan else ganlib.generator_flops(spec)
    print(f"{n} training images {tuple(x.shape[1:])} ({args.holdout} held out), labels {vocabulary or 'none'}, {args.arch}, "
          f"G channels {spec.channels()}, {flops / 1e6:.1f} MFLOP/image, loss {args.loss}"
          f"{f' + R1 {args.r1}' if args.r1 else ''}, threads {torch.get_num_threads()}", flush=True)

    label_pool = labels if spec.labels else None
    fixed = sample_inputs(spec, label_pool, 32)
    log_path = os.path.join(args.out, "log.csv")
    started = time.time()
    last_save = started
    first_step = step
    def discriminator_step(step, r1_value):
        """One discriminator update; returns its loss and the latest R1 penalty."""
        idx = torch.randint(0, n, (args.batch,))
        real, y = x[idx], labels[idx]
        cond = y if spec.labels else None
        inputs = torch.cat([torch.randn(args.batch, spec.latent_dim), y], dim=1)
        with torch.no_grad():
            fake = gen(inputs)
        lazy_r1 = args.r1 > 0 and step % args.r1_every == 0
        if lazy_r1:
            real_out, penalty = r1_penalty(disc, real, cond)
        else:
            real_out = disc(real, cond)
        d_loss = d_loss_fn(args.loss, real_out, disc(fake, cond))
        if lazy_r1:
            r1_value = penalty.item()
            d_loss = d_loss + 0.5 * args.r1 * args.r1_every * penalty
        if args.loss == "wgan-gp":
            d_loss = d_loss + 10 * gradient_penalty(disc, real, fake, cond)
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        return d_loss, r1_value

    if args.init_from and args.d_warmup:
        # A fresh discriminator first learns the started generator's flaws, so its first gradients are informative.
        for k in range(args.d_warmup):
            d_loss, _ = discriminator_step(k, 0.0)
        print(f"discriminator warm-up: {args.d_warmup} steps, d {d_loss.item():.3f}", flush=True)

    with open(log_path, "a" if args.resume else "w", newline="") as log_file:
        log = csv.writer(log_file)
        if not first_step:
            log.writerow(["step", "seconds", "d_loss", "g_loss"] + (["r1"] if args.r1 else []))
        r1_value = 0.0
        while True:
            elapsed = time.time() - started
            if (args.steps and step - first_step >= args.steps) or (args.minutes and elapsed >= args.minutes * 60):
                break
            for _ in range(n_critic):
                d_loss, r1_value = discriminator_step(step, r1_value)
            idx = torch.randint(0, n, (args.batch,))
            y = labels[idx]
            fake = gen(torch.cat([torch.randn(args.batch, spec.latent_dim), y], dim=1))
            g_loss = g_loss_fn(args.loss, disc(fake, y if spec.labels else None))
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            step += 1
            if ema is not None:
                # EMA half-life ema-kimg thousand images, ramped up over the first images (StyleGAN2-ADA).
                half_life = min(args.ema_kimg * 1000, step * args.batch * 0.05)
                update_ema(ema, gen, 0.5 ** (args.batch / max(half_life, 1e-8)))
            now = time.time()
            if step % args.log_every == 0 or step == 1:
                row = [step, round(now - started + previous_wall, 1), round(d_loss.item(), 4), round(g_loss.item(), 4)]
                log.writerow(row + ([round(r1_value, 4)] if args.r1 else []))
                log_file.flush()
                print(f"step {step} {now - started + previous_wall:.0f}s d {d_loss.item():.3f} g {g_loss.item():.3f}"
                      f"{f' r1 {r1_value:.3f}' if args.r1 else ''}", flush=True)
            if args.sample_every and step % args.sample_every == 0:
                shown = ema if ema is not None else gen
                shown.eval()
                with torch.no_grad():
                    ganlib.save_grid(shown(fixed), os.path.join(args.out, "samples", f"step-{step:06d}.png"))
                gen.train()
            if args.checkpoint_minutes and now - last_save >= args.checkpoint_minutes * 60:
                last_save = now
                wall = now - started + previous_wall
                save_state(state_path, spec, gen, ema, disc, opt_g, opt_d, step, wall, args)
                if ema is not None:
                    os.makedirs(os.path.join(args.out, "snapshots"), exist_ok=True)
                    torch.save({"spec": ganlib.asdict(spec), "arch": args.arch, "ema": ema.state_dict(), "steps": step, "wallSeconds": wall},
                               os.path.join(args.out, "snapshots", f"ema-{step:06d}.pt"))
    wall = time.time() - started + previous_wall
    save_state(state_path, spec, gen, ema, disc, opt_g, opt_d, step, wall, args)
    if ema is None:
        recalibrate_batchnorm(gen, label_pool)
    exported = ema if ema is not None else gen
    export(args, exported, x, labels, step, wall, fixed)


def read_init_from(args):
    """The steps and wall time of the checkpoint --init-from started from (recorded as training.initFrom)."""
    with open(os.path.join(args.init_from, "checkpoint.json")) as f:
        before = json.load(f).get("training", {})
    args.init_steps, args.init_wall = int(before.get("steps", 0)), float(before.get("wallSeconds", 0.0))
    args.init_parent = before.get("initFrom")  # that checkpoint's own start, when it was fine-tuned too


def training_manifest(args, n, step, wall):
    return {
        "name": args.name,
        "modality": args.modality,
        "training": {
            "data": args.data_name or os.path.basename(args.data.rstrip("/")),
            "licence": args.licence or "unknown",
            "images": n,
            "heldOut": args.holdout,
            "steps": step,
            "batch": args.batch,
            "loss": args.loss + (f" + R1 (gamma {args.r1})" if args.r1 else ""),
            "learningRate": args.lr,
            "wallSeconds": round(wall, 1),
            "threads": torch.get_num_threads(),
            "seed": args.seed,
            "torch": torch.__version__,
            **({"emaHalfLifeImages": int(args.ema_kimg * 1000)} if args.arch == "pgan-lite" else {}),
            **({"initFrom": {"checkpoint": os.path.basename(os.path.normpath(args.init_from)), "steps": args.init_steps,
                             "wallSeconds": args.init_wall, **({"initFrom": args.init_parent} if args.init_parent else {})}}
               if getattr(args, "init_from", None) else {}),
        },
        "codeVersion": code_version(),
    }


def fit_tone(args, gen, x, labels):
    """Fits the tone curve (--tone-curve) on generated images against the training images x, sets it on gen's spec
    and returns what training.toneCurve records: the fit's inputs and the total-variation distance between the
    generated and the training grey-level histograms without and with the curve, on the images the curve was fitted
    on (16 bins of 16 grey levels, as the leak audit's classifier sees them)."""
    g = torch.Generator().manual_seed(args.seed + 1_000_003)
    raw = []
    with torch.no_grad():
        for start in range(0, args.tone_samples, 128):
            count = min(128, args.tone_samples - start)
            z = torch.randn(count, gen.spec.latent_dim, generator=g)
            inputs = torch.cat([z, labels[torch.randint(0, labels.shape[0], (count,), generator=g)]], dim=1) if gen.spec.labels else z
            raw.append(gen(inputs, raw=True).numpy())
    raw = np.concatenate(raw)
    real = np.clip(np.rint((x.numpy() + 1.0) * 127.5), 0, 255).astype(np.uint8)
    histogram = lambda levels: np.bincount(levels.ravel() >> 4, minlength=16) / levels.size

    def grey(spec):
        with torch.no_grad():
            y = ganlib.output_maps(torch.from_numpy(raw), spec, cleanup=False).numpy()
        return np.clip(np.rint((y + 1.0) * 127.5), 0, 255).astype(np.int64)

    before = 0.5 * np.abs(histogram(grey(gen.spec)) - histogram(real)).sum()
    gen.spec.tone_curve = ganlib.fit_tone_curve(raw, real, gen.spec, args.tone_curve)
    after = 0.5 * np.abs(histogram(grey(gen.spec)) - histogram(real)).sum()
    print(f"tone curve: {len(gen.spec.tone_curve[0])} knots; grey-level histogram distance to the training images {before:.4f} -> {after:.4f}", flush=True)
    return {"knots": len(gen.spec.tone_curve[0]), "generatedImages": args.tone_samples, "trainingImages": int(x.shape[0]),
            "histogramDistance": {"without": round(float(before), 4), "with": round(float(after), 4)}}


def export(args, gen, x, labels, step, wall, fixed):
    """Writes the checkpoint (graph model for pgan-lite, layers model otherwise), the sample grid, the zip and
    the probe outputs."""
    os.makedirs(args.out, exist_ok=True)
    gen.eval()
    tone = fit_tone(args, gen, x, labels) if args.tone_curve else None
    if args.arch == "pgan-lite":
        gen.spec.background_cleanup = args.background_cleanup or None
    with torch.no_grad():
        ganlib.save_grid(gen(fixed), os.path.join(args.out, "sample-grid.png"))
    manifest = training_manifest(args, int(x.shape[0]), step, wall)
    if tone:
        manifest["training"]["toneCurve"] = tone
    if args.arch == "pgan-lite":
        full = ganlib.export_graph_checkpoint(gen, args.out, manifest)
    else:
        full = ganlib.export_checkpoint(gen, args.out, manifest)
    if args.zip:
        ganlib.zip_checkpoint(args.out, args.zip)
    if args.probe_in:
        probe = np.fromfile(args.probe_in, dtype="<f4").reshape(-1, gen.spec.input_dim)
        with torch.no_grad():
            out = gen(torch.from_numpy(probe)).numpy()[:, 0]
        out.astype("<f4").tofile(args.probe_out)
    print(json.dumps({"done": True, "steps": step, "wallSeconds": round(wall, 1), "out": args.out, "name": full["name"]}), flush=True)


if __name__ == "__main__":
    main()
