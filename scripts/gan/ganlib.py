"""The generator family of the reader-study app, in PyTorch, and its export to the app's checkpoint format.

The app (lib/gan, TensorFlow.js) runs exactly this network, written as a Keras-style Sequential model:

    input  [latent + labels]            concat(z ~ N(0, 1)^latent, multi-hot labels in checkpoint.json order)
    dense  Dense(4*4*C0)                 PyTorch: Linear, output viewed as NHWC [4, 4, C0] (see Generator.forward)
    reshape Reshape([4, 4, C0])
    bn0, act0                            BatchNormalization(eps 1e-5), LeakyReLU(0.2)
    stage k = 1..n (4 -> 8 -> ... -> resolution):
      up{k}    UpSampling2D(2, nearest)
      conv{k}  Conv2D(C_k, 3x3, same, no bias)
      bn{k}, act{k}
    to_img Conv2D(1, 3x3, same, bias)
    tanh   Activation(tanh)             output [resolution, resolution, 1] in [-1, 1]

Upsample + convolution rather than transposed convolution: no checkerboard artefacts, and the WebAssembly
backend of TensorFlow.js runs Conv2D several times faster than Conv2DTranspose.

Layouts: PyTorch convolution weights are [out, in, kh, kw]; tfjs wants [kh, kw, in, out]. PyTorch Linear
weights are [out, in]; tfjs Dense kernels are [in, out]. The Linear output is reshaped as NHWC and then
permuted to NCHW inside Generator.forward, so the Dense columns need no reordering on export.
"""
from __future__ import annotations

import gzip
import io
import json
import math
import os
import struct
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

FORMAT = "reader-study-gan/1"
BN_EPS = 1e-5
LEAK = 0.2


@dataclass
class Spec:
    resolution: int = 64
    latent_dim: int = 64
    labels: list = field(default_factory=list)
    base_channels: int = 128
    min_channels: int = 8
    # pgan-lite only: the output is snapped to the modality's background grey level (0..255) where it comes
    # within snap_grey grey levels of it (a soft threshold, see background_snap); None: no snap.
    background_grey: float | None = None
    snap_grey: float = 0.0
    # pgan-lite only: a monotone piecewise-linear tone curve between tanh and the snap, as knots [[x...], [y...]] in
    # output units (see tone_curve, fit_tone_curve); None: no curve. Fitted at export, never trained.
    tone_curve: list | None = None
    # pgan-lite with a snap only: after the snap, a pixel off the background with at least this many of its 8
    # neighbours on it joins the background (see background_cleanup); None: no clean-up. Set at export, never trained.
    background_cleanup: int | None = None

    @property
    def snaps(self) -> bool:
        """Whether the output is snapped to a background level (and so may be cleaned up)."""
        return self.background_grey is not None and self.snap_grey > 0

    @property
    def cleans_up(self) -> bool:
        return self.snaps and bool(self.background_cleanup)

    @property
    def stages(self) -> int:
        n = int(round(math.log2(self.resolution / 4)))
        if 4 * 2**n != self.resolution or n < 1:
            raise ValueError(f"resolution must be 4 * 2^n with n >= 1 (8, 16, 32, 64, 128, ...), not {self.resolution}")
        return n

    def channels(self) -> list:
        """C0 at 4x4, then C_k for each stage: halved per stage, never below min_channels."""
        return [max(self.base_channels >> k, self.min_channels) for k in range(self.stages + 1)]

    @property
    def input_dim(self) -> int:
        return self.latent_dim + len(self.labels)


class Generator(nn.Module):
    def __init__(self, spec: Spec):
        super().__init__()
        self.spec = spec
        ch = spec.channels()
        self.c0 = ch[0]
        self.dense = nn.Linear(spec.input_dim, 16 * ch[0])
        self.bn0 = nn.BatchNorm2d(ch[0], eps=BN_EPS)
        self.convs = nn.ModuleList()
        self.bns = nn.ModuleList()
        for k in range(1, spec.stages + 1):
            self.convs.append(nn.Conv2d(ch[k - 1], ch[k], 3, padding=1, bias=False))
            self.bns.append(nn.BatchNorm2d(ch[k], eps=BN_EPS))
        self.to_img = nn.Conv2d(ch[-1], 1, 3, padding=1, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, latent + labels] -> images [B, 1, R, R] in [-1, 1]."""
        h = self.dense(x).view(-1, 4, 4, self.c0).permute(0, 3, 1, 2)  # NHWC flattening, as tfjs Reshape
        h = F.leaky_relu(self.bn0(h), LEAK)
        for conv, bn in zip(self.convs, self.bns):
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            h = F.leaky_relu(bn(conv(h)), LEAK)
        return torch.tanh(self.to_img(h))


class Discriminator(nn.Module):
    """Strided convolutions with spectral norm; labels enter by projection (Miyato & Koyama 2018)."""

    def __init__(self, spec: Spec, base: int = 16, max_channels: int = 256, spectral: bool = True):
        super().__init__()
        sn = nn.utils.spectral_norm if spectral else (lambda m: m)
        layers, cin, c = [], 1, base
        size = spec.resolution
        while size > 4:
            layers.append(sn(nn.Conv2d(cin, c, 4, stride=2, padding=1)))
            cin, c, size = c, min(c * 2, max_channels), size // 2
        self.convs = nn.ModuleList(layers)
        self.features = cin * 16
        self.out = sn(nn.Linear(self.features, 1))
        self.embed = sn(nn.Linear(len(spec.labels), self.features, bias=False)) if spec.labels else None

    def forward(self, img: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        h = img
        for conv in self.convs:
            h = F.leaky_relu(conv(h), LEAK)
        h = h.flatten(1)
        out = self.out(h).squeeze(1)
        if self.embed is not None and labels is not None:
            out = out + (self.embed(labels) * h).sum(1)
        return out


def generator_flops(spec: Spec) -> int:
    """Multiply-adds x 2 of one forward pass (convolutions and dense; BN, activations and upsampling ignored)."""
    ch = spec.channels()
    flops = 2 * spec.input_dim * 16 * ch[0]
    size = 4
    for k in range(1, spec.stages + 1):
        size *= 2
        flops += 2 * size * size * 9 * ch[k - 1] * ch[k]
    flops += 2 * size * size * 9 * ch[-1]
    return flops


# ---------------------------------------------------------------------------------------------------------
# Export to the app's checkpoint format: model.json (Keras topology + weights manifest), one weight shard,
# checkpoint.json (what the app validates with zod: lib/gan/manifest.ts).


def _bn_config(name: str) -> dict:
    return {"class_name": "BatchNormalization", "config": {
        "axis": -1, "momentum": 0.9, "epsilon": BN_EPS, "center": True, "scale": True,
        "beta_initializer": {"class_name": "Zeros", "config": {}},
        "gamma_initializer": {"class_name": "Ones", "config": {}},
        "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
        "moving_variance_initializer": {"class_name": "Ones", "config": {}},
        "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None,
        "name": name, "trainable": True}}


def _conv_config(name: str, filters: int, use_bias: bool) -> dict:
    return {"class_name": "Conv2D", "config": {
        "filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
        "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "linear", "use_bias": use_bias,
        "kernel_initializer": {"class_name": "Zeros", "config": {}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None, "name": name, "trainable": True}}


def topology(spec: Spec) -> dict:
    """The Keras-style Sequential topology tfjs-layers reads; the same layers lib/gan/architecture.ts builds."""
    c0 = spec.channels()[0]
    layers = [
        {"class_name": "Dense", "config": {
            "units": 16 * c0, "activation": "linear", "use_bias": True,
            "kernel_initializer": {"class_name": "Zeros", "config": {}}, "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None,
            "name": "dense", "trainable": True, "batch_input_shape": [None, spec.input_dim], "dtype": "float32"}},
        {"class_name": "Reshape", "config": {"target_shape": [4, 4, c0], "name": "reshape", "trainable": True}},
        _bn_config("bn0"),
        {"class_name": "LeakyReLU", "config": {"alpha": LEAK, "name": "act0", "trainable": True}},
    ]
    for k, c in enumerate(spec.channels()[1:], start=1):
        layers += [
            {"class_name": "UpSampling2D", "config": {"size": [2, 2], "data_format": "channels_last", "interpolation": "nearest", "name": f"up{k}", "trainable": True}},
            _conv_config(f"conv{k}", c, False),
            _bn_config(f"bn{k}"),
            {"class_name": "LeakyReLU", "config": {"alpha": LEAK, "name": f"act{k}", "trainable": True}},
        ]
    layers += [
        _conv_config("to_img", 1, True),
        {"class_name": "Activation", "config": {"activation": "tanh", "name": "tanh", "trainable": True}},
    ]
    return {"class_name": "Sequential", "config": {"name": "generator", "layers": layers},
            "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}


def _bn_weights(name: str, bn: nn.BatchNorm2d) -> list:
    return [(f"{name}/gamma", bn.weight), (f"{name}/beta", bn.bias),
            (f"{name}/moving_mean", bn.running_mean), (f"{name}/moving_variance", bn.running_var)]


def tfjs_weights(gen: Generator) -> list:
    """(name, float32 array in tfjs layout), in the order they are written to the shard."""
    out = [("dense/kernel", gen.dense.weight.t()), ("dense/bias", gen.dense.bias)]
    out += _bn_weights("bn0", gen.bn0)
    for k, (conv, bn) in enumerate(zip(gen.convs, gen.bns), start=1):
        out.append((f"conv{k}/kernel", conv.weight.permute(2, 3, 1, 0)))  # [out,in,kh,kw] -> [kh,kw,in,out]
        out += _bn_weights(f"bn{k}", bn)
    out += [("to_img/kernel", gen.to_img.weight.permute(2, 3, 1, 0)), ("to_img/bias", gen.to_img.bias)]
    return [(n, np.ascontiguousarray(t.detach().cpu().numpy(), dtype="<f4")) for n, t in out]


def export_checkpoint(gen: Generator, out_dir: str, manifest: dict) -> dict:
    """Writes model.json, weights.bin and checkpoint.json into out_dir; returns the checkpoint manifest."""
    os.makedirs(out_dir, exist_ok=True)
    weights = tfjs_weights(gen)
    shard = "weights.bin"
    with open(os.path.join(out_dir, shard), "wb") as f:
        for _, array in weights:
            f.write(array.tobytes())
    model = {
        "format": "layers-model",
        "generatedBy": "reader-study scripts/gan/train.py",
        "convertedBy": None,
        "modelTopology": topology(gen.spec),
        "weightsManifest": [{"paths": [shard], "weights": [{"name": n, "shape": list(a.shape), "dtype": "float32"} for n, a in weights]}],
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(model, f)
    full = {
        "format": FORMAT,
        "modality": manifest["modality"],
        "name": manifest["name"],
        "resolution": gen.spec.resolution,
        "latentDim": gen.spec.latent_dim,
        "labels": list(gen.spec.labels),
        "outputRange": [-1, 1],
        "architecture": {"family": "upsample-conv", "baseChannels": gen.spec.base_channels, "minChannels": gen.spec.min_channels,
                         "channels": gen.spec.channels(), "flopsPerImage": generator_flops(gen.spec)},
        **{k: v for k, v in manifest.items() if k not in ("modality", "name")},
    }
    with open(os.path.join(out_dir, "checkpoint.json"), "w") as f:
        json.dump(full, f, indent=2)
        f.write("\n")
    return full


def zip_checkpoint(out_dir: str, zip_path: str) -> None:
    """A zip of the three files with fixed timestamps: the same checkpoint gives the same bytes."""
    import zipfile
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in ("checkpoint.json", "model.json", "weights.bin"):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(out_dir, name), "rb") as f:
                z.writestr(info, f.read())


# ---------------------------------------------------------------------------------------------------------
# Data: a gzip of raw uint8 [N, R, R] (row-major) or a folder of greyscale PNGs; optional labels CSV.


def load_u8_gz(path: str, side: int = 64) -> np.ndarray:
    """A gzip of raw uint8 images [N, side, side], row-major (no header: the side must be given)."""
    with gzip.open(path, "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8)
    if raw.size == 0 or raw.size % (side * side) != 0:
        raise ValueError(f"{path}: {raw.size} bytes are not a whole number of {side}x{side} images (see --side)")
    return raw.reshape(-1, side, side)


def load_folder(path: str) -> tuple:
    from PIL import Image
    names = sorted(n for n in os.listdir(path) if n.lower().endswith(".png"))
    if not names:
        raise ValueError(f"{path}: no PNG files")
    images = []
    for n in names:
        with Image.open(os.path.join(path, n)) as im:
            images.append(np.asarray(im.convert("L"), dtype=np.uint8))
    sizes = {a.shape for a in images}
    if len(sizes) != 1:
        raise ValueError(f"{path}: images of several sizes {sorted(sizes)}")
    return np.stack(images), names


def resize_all(images: np.ndarray, side: int) -> np.ndarray:
    if images.shape[1] == side and images.shape[2] == side:
        return images
    from PIL import Image
    return np.stack([np.asarray(Image.fromarray(a).resize((side, side), Image.BILINEAR)) for a in images])


def read_labels_csv(path: str, keys: list) -> tuple:
    """CSV with columns file,labels (labels pipe-separated; file = the file name, or the index for an array)."""
    import csv
    by_key = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            by_key[row["file"]] = [l for l in (row.get("labels") or "").split("|") if l]
    vocabulary = sorted({l for ls in by_key.values() for l in ls})
    multi_hot = np.zeros((len(keys), len(vocabulary)), dtype=np.float32)
    for i, key in enumerate(keys):
        for l in by_key.get(str(key), []):
            multi_hot[i, vocabulary.index(l)] = 1.0
    return vocabulary, multi_hot


def save_grid(images: torch.Tensor, path: str, columns: int = 8) -> None:
    """images [B, 1, R, R] in [-1, 1] -> a greyscale PNG grid with 2-pixel gaps."""
    from PIL import Image
    a = ((images.detach().cpu().numpy()[:, 0] + 1) * 127.5).round().clip(0, 255).astype(np.uint8)
    b, r = a.shape[0], a.shape[1]
    rows = math.ceil(b / columns)
    grid = np.zeros((rows * (r + 2) + 2, columns * (r + 2) + 2), dtype=np.uint8)
    for i in range(b):
        y, x = divmod(i, columns)
        grid[2 + y * (r + 2): 2 + y * (r + 2) + r, 2 + x * (r + 2): 2 + x * (r + 2) + r] = a[i]
    Image.fromarray(grid).save(path)


# ---------------------------------------------------------------------------------------------------------
# "pgan-lite": a small Progressive-GAN / StyleGAN-style generator (Karras et al. 2018, 2019), trained at full
# resolution (no growing): equalised learning rate (weights drawn N(0, 1), scaled by He's constant at run time;
# the scale is folded into the exported weights), pixelwise feature normalisation after every convolution
# (no batch norm, so the network is the same in training and at inference), nearest upsampling + 3x3
# convolutions, LeakyReLU(0.2), tanh out. Exported as a TensorFlow.js graph model (pixel norm is no tfjs layer):
#
#     z [B, latent + labels] -> pixel norm -> dense 4*4*C0 (NHWC) -> LReLU, PN -> conv3x3 C0 -> LReLU, PN
#     stage k = 1..n: upsample x2 (nearest) -> conv3x3 C_k -> LReLU, PN   (a second conv at 8x8 and 16x16)
#     to_img conv3x3 -> tanh                                              [B, R, R, 1] in [-1, 1]
#     optional tone curve: piecewise linear, monotone, fitted at export by quantile matching   (Spec.tone_curve)
#     optional background snap: band b ± w -> b, the rest stretched back over [-1, 1]   (Spec.background_grey, Spec.snap_grey)
#     optional background clean-up: specks off the background with n+ neighbours on it join it  (Spec.background_cleanup)

PN_EPS = 1e-8


def grey_to_output(grey: float) -> float:
    """An 8-bit grey level as the generator's output value (outputRange [-1, 1]; the app maps back with toGrey8)."""
    return grey / 127.5 - 1.0


def snap_constants(spec: Spec) -> tuple:
    """(b, w, k_up, k_down) of background_snap in output units: background, half-width, and the slopes that stretch
    the rest back over the whole output range [-1, 1]."""
    b, w = grey_to_output(spec.background_grey), spec.snap_grey / 127.5
    return b, w, (1.0 - b) / (1.0 - b - w), (b + 1.0) / (b + 1.0 - w)


def background_snap(y: torch.Tensor, spec: Spec) -> torch.Tensor:
    """Output within w of the background level b becomes exactly b; the rest is stretched linearly so that b ± w
    meets b and the ends of the range stay where they are: s = (y - b) - clip(y - b, -w, w), then
    b + k_up * relu(s) - k_down * relu(-s). Real head CT is exactly one grey level outside the head (44 % of MedNIST
    head-CT pixels are grey 25), which tanh alone never hits; the map is continuous and monotone, gradients pass
    everywhere but inside the band, and black (0) and white (255) are still reached. Identity when the spec has no
    background."""
    if not spec.snaps:
        return y
    b, w, k_up, k_down = snap_constants(spec)
    d = y - b
    s = d - torch.clamp(d, -w, w)
    return b + k_up * F.relu(s) - k_down * F.relu(-s)


def tone_coefficients(spec: Spec) -> tuple:
    """The tone curve as y0 + sum_i c_i relu(x - x_i) (x_0 = -1, the lowest tanh output, so the first term is the
    first segment's line): returns (y0, x_i, c_i) as float32 arrays, the constants both PyTorch and the graph use."""
    xs, ys = (np.asarray(v, dtype=np.float64) for v in spec.tone_curve)
    slopes = np.diff(ys) / np.diff(xs)
    c = np.diff(slopes, prepend=0.0)
    return np.float32(ys[0]), xs[:-1].astype(np.float32), c.astype(np.float32)


def tone_curve(y: torch.Tensor, spec: Spec) -> torch.Tensor:
    """The spec's tone curve on tanh's output (identity without one): linear between its knots, monotone."""
    if not spec.tone_curve:
        return y
    y0, xs, c = tone_coefficients(spec)
    return float(y0) + (F.relu(y.unsqueeze(-1) - torch.from_numpy(xs)) * torch.from_numpy(c)).sum(-1)


def snap_inverse(r: np.ndarray, spec: Spec) -> np.ndarray:
    """The inverse of background_snap outside its band (r in output units, r != b); identity without a snap."""
    if not spec.snaps:
        return r
    b, w, k_up, k_down = snap_constants(spec)
    return np.where(r > b, b + w + (r - b) / k_up, b - w + (r - b) / k_down)


def fit_tone_curve(raw: np.ndarray, real: np.ndarray, spec: Spec, knots: int = 48) -> list:
    """Quantile matching (histogram matching) of the generator's grey levels to the training images': the knots
    sit at `knots` evenly spaced quantiles of `raw` (tanh outputs of many generated images, before any curve) and
    map them to the same quantiles of `real` (8-bit training images, each grey level spread evenly over its unit
    interval), through the inverse of the spec's snap. With a snap on an integer grey level the real images hold
    exactly, the quantiles of that level map onto the snap's band, so the share of exact background matches too.
    Returns [[x...], [y...]] for Spec.tone_curve (x strictly increasing from -1 to 1, y non-decreasing)."""
    levels = np.bincount(real.ravel(), minlength=256).astype(np.float64)
    cdf = np.cumsum(levels) / levels.sum()
    nonempty = np.flatnonzero(levels)
    # Quantile function of the dequantised real grey: linear within each non-empty level l over [l - 0.5, l + 0.5].
    qp = np.stack([cdf[nonempty] - levels[nonempty] / levels.sum(), cdf[nonempty]], axis=1).ravel()
    gp = np.stack([nonempty - 0.5, nonempty + 0.5], axis=1).ravel()
    qs = np.linspace(0.0, 1.0, knots)
    band = None
    if spec.snaps and float(spec.background_grey).is_integer() and levels[int(spec.background_grey)] > 0:
        level = int(spec.background_grey)
        band = (cdf[level] - levels[level] / levels.sum(), cdf[level])
        # The band needs only its two ends: the knots go evenly over the quantiles outside it.
        outside = qs * (1.0 - (band[1] - band[0]))
        qs = np.union1d(np.where(outside <= band[0], outside, outside + (band[1] - band[0])), band)
    x = np.quantile(raw.ravel().astype(np.float64), qs)
    x[0], x[-1] = -1.0, 1.0
    y = snap_inverse(np.interp(qs, qp, gp) / 127.5 - 1.0, spec)
    if band is not None:
        b, w, _, _ = snap_constants(spec)
        inside = (qs >= band[0]) & (qs <= band[1])
        y[inside] = b - w + 2 * w * (qs[inside] - band[0]) / (band[1] - band[0])
    keep = [0]
    for i in range(1, len(x)):  # drop knots that tie with the one before (a flat stretch of raw output)
        if x[i] - x[keep[-1]] > 1e-4 and (i == len(x) - 1 or 1.0 - x[i] > 1e-4):
            keep.append(i)
    if keep[-1] != len(x) - 1:
        keep[-1] = len(x) - 1
    return [[float(v) for v in x[keep]], [float(v) for v in np.maximum.accumulate(y[keep])]]


# The width of background_cleanup's ramp from "on the background" to "off it", in grey levels: wider ramps let
# float32 differences between backends through less amplified (a pixel's move is linear in its neighbours' values
# over this width), narrower ones tell specks from background more sharply.
CLEANUP_DELTA_GREY = 2.0


def cleanup_constants(spec: Spec) -> tuple:
    """(b, 1 / delta, limit) of background_cleanup in output units."""
    return grey_to_output(spec.background_grey), 127.5 / CLEANUP_DELTA_GREY, 9.0 - spec.background_cleanup


def background_cleanup(z: torch.Tensor, spec: Spec) -> torch.Tensor:
    """Specks off the background join it. Background-ness is bg = clip(1 - |z - b| / delta, 0, 1) (delta: two grey
    levels, CLEANUP_DELTA_GREY; the snap puts background pixels exactly on b), q is the number of a pixel's 8 neighbours off the
    background (sum of 1 - bg; outside the image counts as background), and the pixel moves to b by
    r = clip(9 - n - q, 0, 1) for the spec's n (background_cleanup): all the way with n or more neighbours on the
    background, not at all with fewer than n - 1. Continuous in z, so backends that differ in the last bits of
    float32 differ as little after it. Real head CT's air is one grey level without specks; a generator's is not
    (12 isolated off-background pixels per 64x64 image of demo-ct-64 against 0.3 in the real slices), which shows in
    the size of the compressed image. Identity without a snap or a clean-up."""
    if not spec.cleans_up:
        return z
    b, inv_delta, limit = cleanup_constants(spec)
    bg = torch.clamp(1.0 - (z - b).abs() * inv_delta, 0.0, 1.0)
    q = F.conv2d(1.0 - bg, torch.from_numpy(cleanup_kernel()).permute(3, 2, 0, 1), padding=1)
    return z + (b - z) * torch.clamp(limit - q, 0.0, 1.0)


def cleanup_kernel() -> np.ndarray:
    """The 8-neighbour sum as a 3x3 convolution kernel, [kh, kw, in, out] (TensorFlow's layout)."""
    k = np.ones((3, 3, 1, 1), dtype=np.float32)
    k[1, 1, 0, 0] = 0.0
    return k


def output_maps(y: torch.Tensor, spec: Spec, cleanup: bool = True) -> torch.Tensor:
    """What the export adds after tanh, in order: tone curve, background snap and (unless cleanup is False, for
    measuring the tone fit on its own) background clean-up. Each is the identity where the spec has none."""
    z = background_snap(tone_curve(y, spec), spec)
    return background_cleanup(z, spec) if cleanup else z


def pixel_norm(x: torch.Tensor, eps: float = PN_EPS) -> torch.Tensor:
    """Normalises every feature vector (dim 1: channels of NCHW, or features of [B, F]) to unit mean square."""
    return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + eps)


class EqLinear(nn.Module):
    def __init__(self, fan_in: int, fan_out: int, gain: float = math.sqrt(2), bias: bool = True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in))
        self.bias = nn.Parameter(torch.zeros(fan_out)) if bias else None
        self.scale = gain / math.sqrt(fan_in)

    def forward(self, x):
        return F.linear(x, self.weight * self.scale, self.bias)

    def folded(self):
        return self.weight.detach() * self.scale, None if self.bias is None else self.bias.detach()


class EqConv2d(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, stride: int = 1, padding: int = 0, gain: float = math.sqrt(2), bias: bool = True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.scale = gain / math.sqrt(cin * k * k)
        self.stride, self.padding = stride, padding

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, self.bias, self.stride, self.padding)

    def folded(self):
        return self.weight.detach() * self.scale, None if self.bias is None else self.bias.detach()


def pgan_layout(spec: Spec) -> list:
    """[(resolution, cin, cout)] of the generator's 3x3 convolutions, in order (to_img excluded)."""
    ch = spec.channels()
    convs, size = [(4, ch[0], ch[0])], 4
    for k in range(1, spec.stages + 1):
        size *= 2
        convs.append((size, ch[k - 1], ch[k]))
        if size <= 16:
            convs.append((size, ch[k], ch[k]))
    return convs


class PganGenerator(nn.Module):
    family = "pgan-lite"

    def __init__(self, spec: Spec):
        super().__init__()
        self.spec = spec
        ch = spec.channels()
        self.c0 = ch[0]
        self.dense = EqLinear(spec.input_dim, 16 * ch[0], gain=math.sqrt(2) / 4)
        self.layout = pgan_layout(spec)
        self.convs = nn.ModuleList(EqConv2d(cin, cout, 3, padding=1) for _, cin, cout in self.layout)
        self.to_img = EqConv2d(ch[-1], 1, 3, padding=1, gain=1.0)

    def forward(self, x: torch.Tensor, raw: bool = False) -> torch.Tensor:
        """x: [B, latent + labels] -> images [B, 1, R, R] in [-1, 1]; raw: tanh's output, before the tone curve and
        the snap (for fitting the curve)."""
        h = self.dense(pixel_norm(x)).view(-1, 4, 4, self.c0).permute(0, 3, 1, 2)  # NHWC flattening
        h = pixel_norm(F.leaky_relu(h, LEAK))
        size = 4
        for (res, _, _), conv in zip(self.layout, self.convs):
            if res != size:
                h, size = F.interpolate(h, scale_factor=2, mode="nearest"), res
            h = pixel_norm(F.leaky_relu(conv(h), LEAK))
        y = torch.tanh(self.to_img(h))
        return y if raw else output_maps(y, self.spec)


class MinibatchStddev(nn.Module):
    """Progressive GAN's minibatch standard deviation: one more feature map, the mean over features and pixels of
    the standard deviation within groups of `group` images."""

    def __init__(self, group: int = 4):
        super().__init__()
        self.group = group

    def forward(self, x):
        b, c, h, w = x.shape
        g = min(self.group, b)
        if b % g:
            g = 1
        y = x.view(g, -1, c, h, w)
        y = (y - y.mean(0)).pow(2).mean(0).add(1e-8).sqrt().mean(dim=(1, 2, 3))  # [B/g]
        y = y.view(-1, 1, 1, 1).repeat(g, 1, h, w)
        return torch.cat([x, y], dim=1)


class PganDiscriminator(nn.Module):
    """Equalised-learning-rate discriminator: strided 4x4 convolutions down to 4x4, minibatch stddev, a 3x3
    convolution, two dense layers; labels enter by projection."""

    def __init__(self, spec: Spec, base: int = 16, max_channels: int = 256):
        super().__init__()
        layers, cin, c, size = [], 1, base, spec.resolution
        while size > 4:
            layers.append(EqConv2d(cin, c, 4, stride=2, padding=1))
            cin, c, size = c, min(c * 2, max_channels), size // 2
        self.convs = nn.ModuleList(layers)
        self.mbstd = MinibatchStddev()
        self.conv4 = EqConv2d(cin + 1, cin, 3, padding=1)
        self.features = cin
        self.fc = EqLinear(cin * 16, cin)
        self.out = EqLinear(cin, 1, gain=1.0)
        self.embed = EqLinear(len(spec.labels), cin, gain=1.0, bias=False) if spec.labels else None

    def forward(self, img: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        h = img
        for conv in self.convs:
            h = F.leaky_relu(conv(h), LEAK)
        h = F.leaky_relu(self.conv4(self.mbstd(h)), LEAK)
        h = F.leaky_relu(self.fc(h.flatten(1)), LEAK)
        out = self.out(h).squeeze(1)
        if self.embed is not None and labels is not None:
            out = out + (self.embed(labels) * h).sum(1)
        return out


def pgan_flops(spec: Spec) -> int:
    flops = 2 * spec.input_dim * 16 * spec.channels()[0]
    for res, cin, cout in pgan_layout(spec):
        flops += 2 * res * res * 9 * cin * cout
    flops += 2 * spec.resolution ** 2 * 9 * spec.channels()[-1]
    return flops


def pgan_graph(gen: PganGenerator):
    """The generator as a TensorFlow.js graph (graphmodel.GraphBuilder), equalised-LR scales folded into the
    weights, NHWC. Returns (builder, input name, output name)."""
    import graphmodel
    g = graphmodel.GraphBuilder()
    spec, c0 = gen.spec, gen.c0
    x = g.placeholder("z", [-1, spec.input_dim])
    axis = g.const("pixel_norm/axis", np.array([-1], dtype=np.int32))
    eps = g.const("pixel_norm/eps", np.array(PN_EPS, dtype=np.float32))

    def pn(name, h):
        sq = g.op(f"{name}/Square", "Square", h)
        rs = g.op(f"{name}/Rsqrt", "Rsqrt", g.op(f"{name}/add", "AddV2", g.mean(f"{name}/Mean", sq, axis), eps))
        return g.op(f"{name}/mul", "Mul", h, rs)

    def f32(t):
        return np.ascontiguousarray(t.cpu().numpy(), dtype=np.float32)

    w, b = gen.dense.folded()
    h = pn("pn_z", x)
    h = g.matmul("dense/MatMul", h, g.const("dense/kernel", f32(w.t())))
    h = g.bias_add("dense/BiasAdd", h, g.const("dense/bias", f32(b)))
    h = g.reshape("reshape", h, g.const("reshape/shape", np.array([-1, 4, 4, c0], dtype=np.int32)))
    h = pn("pn0", g.leaky_relu("act0", h, LEAK))
    size = 4
    for i, ((res, _, _), conv) in enumerate(zip(gen.layout, gen.convs), start=1):
        if res != size:
            size = res
            h = g.resize_nearest(f"up{res}", h, g.const(f"up{res}/size", np.array([res, res], dtype=np.int32)))
        w, b = conv.folded()
        h = g.conv2d(f"conv{i}/Conv2D", h, g.const(f"conv{i}/kernel", f32(w.permute(2, 3, 1, 0))))  # -> [kh,kw,in,out]
        h = g.bias_add(f"conv{i}/BiasAdd", h, g.const(f"conv{i}/bias", f32(b)))
        h = pn(f"pn{i}", g.leaky_relu(f"act{i}", h, LEAK))
    w, b = gen.to_img.folded()
    h = g.conv2d("to_img/Conv2D", h, g.const("to_img/kernel", f32(w.permute(2, 3, 1, 0))))
    h = g.bias_add("to_img/BiasAdd", h, g.const("to_img/bias", f32(b)))
    h = g.op("tanh", "Tanh", h)
    if spec.tone_curve:  # tone_curve: y0 + sum_i c_i relu(x - x_i), broadcast over a last axis of knots
        y0, xs, c = tone_coefficients(spec)
        t = g.op("tone/relu", "Relu", g.op("tone/d", "Sub", h, g.const("tone/knots", xs)))
        t = g.sum("tone/sum", g.op("tone/terms", "Mul", t, g.const("tone/slopes", c)), g.const("tone/axis", np.array([3], dtype=np.int32)))
        h = g.op("tone/out", "AddV2", t, g.const("tone/y0", np.array(y0, dtype=np.float32)))
    if spec.snaps:  # background_snap
        b, w, k_up, k_down = snap_constants(spec)
        f32c = lambda name, v: g.const(name, np.array(v, dtype=np.float32))
        d = g.op("snap/d", "Sub", h, f32c("snap/background", b))
        c = g.op("snap/clip", "ClipByValue", d, f32c("snap/low", -w), f32c("snap/high", w))
        s = g.op("snap/s", "Sub", d, c)
        up = g.op("snap/up", "Mul", g.op("snap/relu_up", "Relu", s), f32c("snap/k_up", k_up))
        down = g.op("snap/down", "Mul", g.op("snap/relu_down", "Relu", g.op("snap/neg", "Neg", s)), f32c("snap/k_down", k_down))
        h = g.op("snap/out", "AddV2", g.op("snap/shifted", "Sub", up, down), f32c("snap/b", b))
        if spec.cleans_up:  # background_cleanup
            b, inv_delta, limit = cleanup_constants(spec)
            d = g.op("cleanup/d", "Sub", h, f32c("cleanup/background", b))
            zero, one = f32c("cleanup/zero", 0.0), f32c("cleanup/one", 1.0)
            bg = g.op("cleanup/bg", "ClipByValue", g.op("cleanup/near", "Sub", one, g.op("cleanup/scaled", "Mul", g.op("cleanup/abs", "Abs", d), f32c("cleanup/inv_delta", inv_delta))), zero, one)
            q = g.conv2d("cleanup/neighbours", g.op("cleanup/off", "Sub", one, bg), g.const("cleanup/kernel", cleanup_kernel()))
            r = g.op("cleanup/r", "ClipByValue", g.op("cleanup/margin", "Sub", f32c("cleanup/limit", limit), q), zero, one)
            h = g.op("cleanup/out", "AddV2", h, g.op("cleanup/move", "Mul", g.op("cleanup/towards", "Neg", d), r))
    out = g.op("image", "Identity", h)
    return g, x, out


def load_graph_checkpoint(folder: str) -> PganGenerator:
    """A pgan-lite generator back from a checkpoint folder this module exported (checkpoint.json, model.json,
    weights.bin): the folded equalised-LR weights are divided by their scales again. For fine-tuning an exported
    generator when its training state is gone (train.py --init-from)."""
    with open(os.path.join(folder, "checkpoint.json")) as f:
        manifest = json.load(f)
    arch = manifest.get("architecture", {})
    if arch.get("family") != PganGenerator.family:
        raise ValueError(f"{folder}: not a {PganGenerator.family} checkpoint (architecture family {arch.get('family')!r})")
    with open(os.path.join(folder, "model.json")) as f:
        model = json.load(f)
    with open(os.path.join(folder, "weights.bin"), "rb") as f:
        raw = f.read()
    weights, offset = {}, 0
    for entry in model["weightsManifest"][0]["weights"]:
        count = int(np.prod(entry["shape"])) if entry["shape"] else 1
        dtype = np.float32 if entry["dtype"] == "float32" else np.int32
        weights[entry["name"]] = np.frombuffer(raw, dtype="<" + np.dtype(dtype).str[1:], count=count, offset=offset).reshape(entry["shape"])
        offset += 4 * count
    snap, tone, cleanup = arch.get("backgroundSnap"), arch.get("toneCurve"), arch.get("backgroundCleanup")
    spec = Spec(resolution=manifest["resolution"], latent_dim=manifest["latentDim"], labels=list(manifest["labels"]),
                base_channels=arch["baseChannels"], min_channels=arch["minChannels"],
                background_grey=snap["grey"] if snap else None, snap_grey=snap["halfWidthGrey"] if snap else 0.0,
                tone_curve=[tone["input"], tone["output"]] if tone else None,
                background_cleanup=cleanup["minBackgroundNeighbours"] if cleanup else None)
    gen = PganGenerator(spec)

    def put(layer, kernel, bias, dense=False):
        w = weights[kernel].T if dense else weights[kernel].transpose(3, 2, 0, 1)  # tfjs [in,out] / [kh,kw,in,out]
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)) / layer.scale)
        layer.bias.copy_(torch.from_numpy(weights[bias].copy()))

    with torch.no_grad():
        put(gen.dense, "dense/kernel", "dense/bias", dense=True)
        for i, conv in enumerate(gen.convs, start=1):
            put(conv, f"conv{i}/kernel", f"conv{i}/bias")
        put(gen.to_img, "to_img/kernel", "to_img/bias")
    return gen


def export_graph_checkpoint(gen: PganGenerator, out_dir: str, manifest: dict) -> dict:
    """Writes model.json (TensorFlow.js graph model), weights.bin and checkpoint.json; returns the manifest."""
    import graphmodel
    g, x, out = pgan_graph(gen)
    spec = gen.spec
    model_json, weights = graphmodel.graph_model_json(
        g.nodes, g.constants,
        inputs={"z": (x + ":0", [-1, spec.input_dim])}, outputs={"image": (out + ":0", [-1, spec.resolution, spec.resolution, 1])},
        generated_by=f"PyTorch {torch.__version__}", converted_by="reader-study scripts/gan/ganlib.py (graph model written directly)")
    graphmodel.write_graph_model(out_dir, model_json, weights)
    full = {
        "format": FORMAT,
        "modality": manifest["modality"],
        "name": manifest["name"],
        "resolution": spec.resolution,
        "latentDim": spec.latent_dim,
        "labels": list(spec.labels),
        "outputRange": [-1, 1],
        "architecture": {"family": PganGenerator.family, "baseChannels": spec.base_channels, "minChannels": spec.min_channels,
                         "channels": spec.channels(), "convolutions": [[r, co] for r, _, co in gen.layout],
                         "flopsPerImage": pgan_flops(spec), "parameters": sum(p.numel() for p in gen.parameters()),
                         **({"backgroundSnap": {"grey": spec.background_grey, "halfWidthGrey": spec.snap_grey}}
                            if spec.snaps else {}),
                         **({"toneCurve": {"input": spec.tone_curve[0], "output": spec.tone_curve[1]}} if spec.tone_curve else {}),
                         **({"backgroundCleanup": {"minBackgroundNeighbours": spec.background_cleanup}}
                            if spec.cleans_up else {})},
        **{k: v for k, v in manifest.items() if k not in ("modality", "name")},
    }
    with open(os.path.join(out_dir, "checkpoint.json"), "w") as f:
        json.dump(full, f, indent=2)
        f.write("\n")
    return full
