"""Writes the TensorFlow.js graph-model format directly (no TensorFlow, no tensorflowjs converter): the one writer
of this project, used by ganlib.export_graph_checkpoint (PyTorch generators) and lib/gan/fixtures/make_graph_model.py
(a frozen Keras graph).

model.json = {"format": "graph-model", "modelTopology": GraphDef as protobuf JSON (camelCase fields, int64 as
strings, bytes base64), "weightsManifest", "signature"}; every Const node's value lives in one little-endian weight
shard (weights.bin), named by its node, as the converter's extract_weights leaves it. Needs only numpy.
"""
from __future__ import annotations

import base64
import json
import os

import numpy as np

DTYPES = {np.dtype("float32"): ("float32", "DT_FLOAT"), np.dtype("int32"): ("int32", "DT_INT32")}


def graph_model_json(nodes: list, constants: list, inputs: dict, outputs: dict, generated_by: str, converted_by: str,
                     versions: dict | None = None):
    """nodes: GraphDef nodes as protobuf JSON dicts (Const nodes without their "value"); constants: [(node name,
    ndarray float32 or int32)] in shard order; inputs/outputs: {signature key: (tensor name, shape)}; versions: the
    GraphDef's (default: a producer TensorFlow.js reads).
    Returns (model.json as a dict, the weight shard's bytes)."""
    specs, shards = [], []
    for name, value in constants:
        value = np.asarray(value)
        if value.dtype not in DTYPES:
            raise ValueError(f"constant {name} has dtype {value.dtype}; only float32 and int32 are written")
        specs.append({"name": name, "shape": list(value.shape), "dtype": DTYPES[value.dtype][0]})
        shards.append(np.ascontiguousarray(value).astype("<" + value.dtype.str[1:]).tobytes())

    def tensor_info(name, shape):
        return {"name": name, "dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": str(d)} for d in shape]}}

    model_json = {
        "format": "graph-model",
        "generatedBy": generated_by,
        "convertedBy": converted_by,
        "modelTopology": {"node": nodes, "versions": versions or {"producer": 1395}},
        "weightsManifest": [{"paths": ["weights.bin"], "weights": specs}],
        "signature": {
            "inputs": {k: tensor_info(n, s) for k, (n, s) in inputs.items()},
            "outputs": {k: tensor_info(n, s) for k, (n, s) in outputs.items()},
        },
    }
    return model_json, b"".join(shards)


def write_graph_model(out_dir: str, model_json: dict, weights: bytes) -> None:
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(model_json, f, separators=(",", ":"))
    with open(os.path.join(out_dir, "weights.bin"), "wb") as f:
        f.write(weights)


def _s(text: str) -> dict:
    return {"s": base64.b64encode(text.encode()).decode()}


class GraphBuilder:
    """Builds a GraphDef (protobuf JSON) of float32 ops, one node per call; returns each node's name."""

    def __init__(self):
        self.nodes, self.constants = [], []

    def _node(self, name, op, inputs=(), **attr):
        node = {"name": name, "op": op}
        if inputs:
            node["input"] = list(inputs)
        node["attr"] = attr
        self.nodes.append(node)
        return name

    def placeholder(self, name, shape):
        return self._node(name, "Placeholder", dtype={"type": "DT_FLOAT"}, shape={"shape": {"dim": [{"size": str(d)} for d in shape]}})

    def const(self, name, value):
        value = np.asarray(value)
        self.constants.append((name, value))
        return self._node(name, "Const", dtype={"type": DTYPES[value.dtype][1]})

    def op(self, name, op, *inputs, **attr):
        return self._node(name, op, inputs, T={"type": "DT_FLOAT"}, **attr)

    # Ops with the attributes TensorFlow writes for them.
    def matmul(self, name, a, b):
        return self.op(name, "MatMul", a, b, transpose_a={"b": False}, transpose_b={"b": False})

    def bias_add(self, name, x, b):
        return self.op(name, "BiasAdd", x, b, data_format=_s("NHWC"))

    def conv2d(self, name, x, kernel):
        return self.op(name, "Conv2D", x, kernel, data_format=_s("NHWC"), padding=_s("SAME"),
                       strides={"list": {"i": ["1", "1", "1", "1"]}}, dilations={"list": {"i": ["1", "1", "1", "1"]}},
                       explicit_paddings={"list": {}}, use_cudnn_on_gpu={"b": True})

    def reshape(self, name, x, shape):
        return self.op(name, "Reshape", x, shape, Tshape={"type": "DT_INT32"})

    def leaky_relu(self, name, x, alpha):
        return self.op(name, "LeakyRelu", x, alpha={"f": alpha})

    def mean(self, name, x, axes, keep_dims=True):
        return self.op(name, "Mean", x, axes, Tidx={"type": "DT_INT32"}, keep_dims={"b": keep_dims})

    def sum(self, name, x, axes, keep_dims=True):
        return self.op(name, "Sum", x, axes, Tidx={"type": "DT_INT32"}, keep_dims={"b": keep_dims})

    def resize_nearest(self, name, x, size):
        return self.op(name, "ResizeNearestNeighbor", x, size, align_corners={"b": False}, half_pixel_centers={"b": False})
