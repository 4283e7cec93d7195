#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Converts a model folder's decoder from epsilon-only (out_channels = in_channels, fixed_small_log)
to Karlo's layout (epsilon + learned variance, out_channels = 2 x in_channels, learned_range), which
diffusers' UnCLIPPipeline and UnCLIPImageVariationPipeline require. The added variance channels
predict a constant -1: conv_out gets zero weights and bias -1 for them, and under learned_range
frac = (v + 1) / 2 = 0 picks exactly the fixed small log variance, so every image stays the same.

    python3 tools/karlo_decoder_layout.py MODEL_DIR        (e.g. resources/models/unclip-emoji)

Rewrites MODEL_DIR/decoder/config.json, its *.safetensors and decoder_scheduler/scheduler_config.json
in place; a folder already in Karlo's layout is left alone. Standard library only.
"""
import json
import os
import struct
import sys

ONE = {"F16": struct.pack("<e", -1.0), "BF16": struct.pack("<f", -1.0)[2:], "F32": struct.pack("<f", -1.0)}
SIZE = {"F16": 2, "BF16": 2, "F32": 4}


def write_json(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def widen_safetensors(path, channels):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    names = sorted((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][0])
    out, offset = [], 0
    for name in names:
        t = header[name]
        lo, hi = t["data_offsets"]
        raw = body[lo:hi]
        if name in ("conv_out.weight", "conv_out.bias"):
            dtype, shape = t["dtype"], t["shape"]
            if dtype not in SIZE:
                sys.exit(f"{path}: {name} has dtype {dtype}; expected F16, BF16 or F32")
            if shape[0] != channels:
                sys.exit(f"{path}: {name} has {shape[0]} output channels, expected {channels}")
            per_channel = len(raw) // channels
            # Output channels are the first (slowest) dimension: the new ones follow the old bytes.
            extra = (ONE[dtype] * channels) if name == "conv_out.bias" else bytes(per_channel * channels)
            raw = raw + extra
            t["shape"] = [2 * channels] + shape[1:]
        t["data_offsets"] = [offset, offset + len(raw)]
        offset += len(raw)
        out.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(out))
    os.replace(tmp, path)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    cfg_path = os.path.join(folder, "decoder", "config.json")
    sched_path = os.path.join(folder, "decoder_scheduler", "scheduler_config.json")
    with open(cfg_path, encoding="utf-8") as f:
        cfg = json.load(f)
    with open(sched_path, encoding="utf-8") as f:
        sched = json.load(f)
    channels = cfg["in_channels"]
    if cfg["out_channels"] == 2 * channels and sched.get("variance_type") == "learned_range":
        print(f"{folder}: the decoder already has Karlo's layout")
        return
    if cfg["out_channels"] != channels or sched.get("variance_type", "fixed_small_log") != "fixed_small_log":
        sys.exit(f"{folder}: expected out_channels {channels} with fixed_small_log, found "
                 f"{cfg['out_channels']} with {sched.get('variance_type')}")
    files = [n for n in os.listdir(os.path.dirname(cfg_path)) if n.endswith(".safetensors")]
    if not files:
        sys.exit(f"{folder}/decoder: no .safetensors weights (convert .bin files first)")
    for name in files:
        widen_safetensors(os.path.join(folder, "decoder", name), channels)
    cfg["out_channels"] = 2 * channels
    sched["variance_type"] = "learned_range"
    write_json(cfg_path, cfg)
    write_json(sched_path, sched)
    print(f"{folder}: decoder out_channels {channels} -> {2 * channels}, variance_type learned_range "
          f"(variance channels constant -1 = the fixed small log variance)")


if __name__ == "__main__":
    main()
