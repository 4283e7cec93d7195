#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that a model folder runs unchanged in diffusers' UnCLIPPipeline (text to image) and
UnCLIPImageVariationPipeline (variations), with no adapter, and gives the pictures `unclip
generate` / `unclip vary` give for the same seed and steps. Needs the reference environment
(../shared/refenv/README.md); run after `. /tmp/refenv/env.sh`:

    /usr/bin/python3 tools/diffusers_check.py --unclip build/bin/unclip \\
        [--model resources/models/unclip-emoji] [--image tests/training/data/rocket.png]

Prints one JSON line per pipeline (max and mean absolute difference of the final float images in
[0, 1]) and exits 1 when a pipeline fails to run or a difference exceeds --tolerance.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

ap = argparse.ArgumentParser()
ap.add_argument("--unclip", required=True)
ap.add_argument("--model", default="resources/models/unclip-emoji")
ap.add_argument("--image", default="tests/training/data/rocket.png")
ap.add_argument("--prompt", default="a red apple on a light blue background")
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--steps", default="10,10,4", help="prior,decoder,super-res steps")
ap.add_argument("--tolerance", type=float, default=2e-2)
a = ap.parse_args()
ps, ds, ss = (int(x) for x in a.steps.split(","))
torch.set_num_threads(2)

from diffusers import UnCLIPImageVariationPipeline, UnCLIPPipeline  # noqa: E402
from safetensors.torch import load_file  # noqa: E402


def ours(args):
    with tempfile.TemporaryDirectory() as tmp:
        st = os.path.join(tmp, "out.safetensors")
        subprocess.run([a.unclip] + args + ["--model", a.model, "--seed", str(a.seed), "--threads", "2",
                                            "-o", os.path.join(tmp, "out.png"), "--save-tensors", st],
                       check=True, stdout=subprocess.DEVNULL)
        return load_file(st)["images"][0].permute(1, 2, 0).float().numpy()


def report(name, ref, mine):
    diff = np.abs(ref.astype(np.float32) - mine)
    res = {"pipeline": name, "shape": list(ref.shape), "max_abs_diff": float(diff.max()),
           "mean_abs_diff": float(diff.mean()), "tolerance": a.tolerance}
    print(json.dumps(res), flush=True)
    return res["max_abs_diff"] <= a.tolerance


ok = True
pipe = UnCLIPPipeline.from_pretrained(a.model, torch_dtype=torch.float32)
pipe.set_progress_bar_config(disable=True)
with torch.no_grad():
    ref = pipe(a.prompt, generator=torch.Generator().manual_seed(a.seed), output_type="np",
               prior_num_inference_steps=ps, decoder_num_inference_steps=ds,
               super_res_num_inference_steps=ss).images[0]
ok &= report("UnCLIPPipeline", ref, ours(["generate", "--prompt", a.prompt, "--prior-steps", str(ps),
                                          "--decoder-steps", str(ds), "--super-res-steps", str(ss)]))

pipe = UnCLIPImageVariationPipeline.from_pretrained(a.model, torch_dtype=torch.float32)
pipe.set_progress_bar_config(disable=True)
with torch.no_grad():
    ref = pipe(Image.open(a.image).convert("RGB"), generator=torch.Generator().manual_seed(a.seed), output_type="np",
               decoder_num_inference_steps=ds, super_res_num_inference_steps=ss).images[0]
ok &= report("UnCLIPImageVariationPipeline", ref,
             ours(["vary", "--image", a.image, "--decoder-steps", str(ds), "--super-res-steps", str(ss)]))
sys.exit(0 if ok else 1)
