#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Prepares gpu/ for tools/gpu_session.sh, on the CPU machine (the GPU machine has no Qt to render
# the dataset): the emoji dataset, the golden folder (for `unclip verify` and ctest there) and a
# training work dir holding the tokenizer, the CLIP and prior checkpoints and a train_config.json
# with the shipped model's sizes and GPU batch sizes. gpu/ is ignored through .git/info/exclude and
# travels with `carry: ["gpu"]` (about 41 MB of the device tool's 64 MiB).
#   tools/gpu_prepare.sh [WORK_DIR] [DATASET]
#   (defaults: build-train/emoji-train, build-train/emoji64.safetensors; golden: $UNCLIP_GOLDEN_DIR
#   or tests/golden; the dataset comes from `unclip-dataset render --out emoji64.safetensors`)
set -eu
cd "$(dirname "$0")/.."
WORK=${1:-build-train/emoji-train}
DATA=${2:-build-train/emoji64.safetensors}
GOLDEN=${UNCLIP_GOLDEN_DIR:-tests/golden}
for f in "$WORK/tokenizer/vocab.json" "$WORK/ckpt_clip.safetensors" "$WORK/ckpt_prior.safetensors" \
         "$WORK/train_config.json" "$DATA" "$GOLDEN/manifest.json"; do
  [ -e "$f" ] || { echo "gpu_prepare: missing $f" >&2; exit 1; }
done
grep -qx "/gpu/" .git/info/exclude || echo "/gpu/" >>.git/info/exclude
rm -rf gpu && mkdir -p gpu/work
cp "$DATA" gpu/emoji64.safetensors
cp -r "$GOLDEN" gpu/golden
cp -r "$WORK/tokenizer" "$WORK/ckpt_clip.safetensors" "$WORK/ckpt_prior.safetensors" gpu/work/
# The shipped decoder / super-res sizes (so INIT=resources/models/unclip-emoji fits) and the
# batches and learning rates of the 2026-11-26 H200 run (docs/model-card.md).
python3 - "$WORK/train_config.json" gpu/work/train_config.json <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["dataset"], c["work_dir"] = "gpu/emoji64.safetensors", "gpu/work"
c["sizes"].update(decoder_channels=[64, 128, 192], decoder_layers=1, sr_channels=[32, 64])
c["decoder"].update(batch=128, lr=8e-4, max_minutes=0)
c["super_res"].update(batch=64, lr=1e-3, max_minutes=0)
c["prior"].update(batch=256, lr=3e-4, max_minutes=0)
c.update(checkpoint_every=500, log_every=100, threads=3)
json.dump(c, open(sys.argv[2], "w"), indent=2)
EOF
# The test framework (Debian's doctest-dev: one header and its CMake files) for ctest there.
tmp=$(mktemp -d)
(cd "$tmp" && apt-get download doctest-dev >/dev/null) && dpkg-deb -x "$tmp"/doctest-dev_*.deb gpu/doctest
rm -rf "$tmp" gpu/doctest/usr/share
du -sh gpu
