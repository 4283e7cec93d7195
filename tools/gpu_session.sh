#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One session on the GPU machine (the `device` tool; LibTorch from pip's torch, CUDA, no Qt/OpenCV),
# as one prepared script because device time is scarce:
#   1. configure + build core, CLI, trainer and core tests against pip's LibTorch (-DUNCLIP_WITH_UI=OFF);
#   2. train the embedded model's stages $STAGES (default: decoder; the shipped super-res is the
#      256 px one trained on 256 px tiles, which gpu/ does not carry: see docs/model-card.md) on CUDA, one process
#      each, until TRAIN_END seconds after the start (work dir $GPU_DIR/work, prepared on the CPU
#      machine: tokenizer, CLIP checkpoint, train_config.json; dataset $GPU_DIR/emoji64.safetensors);
#      INIT=resources/models/unclip-emoji continues from the shipped weights instead of fresh ones;
#   3. meanwhile: the rest of the build, `unclip verify --device cuda` in three dtypes, ctest;
#   4. export the model (float16) and, time permitting, `unclip bench pipeline --config karlo`.
# Everything it writes goes to $OUT (logs in results.tgz, the model split in <16 MiB parts).
# Prepare gpu/ here with tools/gpu_prepare.sh, then run on the device with carry ["gpu"]:
#   GPU_DIR=gpu TRAIN_END=470 STOP=555 INIT=resources/models/unclip-emoji bash tools/gpu_session.sh
# (timeout 590 s: build ~35 s on a fresh machine, training until TRAIN_END, export, Karlo bench).
set -u
T0=$(date +%s)
R=$PWD
OUT=${OUT:-/tmp/gpu-out}
G=$(cd "${GPU_DIR:-gpu}" && pwd)
TRAIN_END=${TRAIN_END:-450}
STOP=${STOP:-550}  # nothing new starts after this
B=${BUILD_DIR:-build-gpu}
STAGES=${STAGES:-decoder}
INIT=${INIT:-}
DEVICE=${DEVICE:-cuda}  # DEVICE=cpu TORCH_PREFIX=/usr BUILD_DIR=... rehearses the script on a CPU machine
mkdir -p "$OUT/r"
export PATH=/opt/torch/.venv/bin:$PATH
el() { echo $(($(date +%s) - T0)); }
log() { echo "[$(el)s] $*" | tee -a "$OUT/r/session.log"; }
pack() {
  cp -f "$G"/work/loss_*.csv "$G"/work/train_config.json "$OUT/r/" 2>/dev/null
  tar -C "$OUT" -czf "$OUT/results.tgz" r && rm -rf "$OUT/r"
}

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >"$OUT/r/gpu.txt" 2>&1
TP=${TORCH_PREFIX:-$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')}
log "torch prefix $TP"
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUNCLIP_WITH_UI=OFF -DUNCLIP_BUILD_TESTS=ON \
  -DCMAKE_PREFIX_PATH="$TP" -DUNCLIP_GOLDEN_DIR="$G/golden" -Ddoctest_DIR="$G/doctest/usr/lib/cmake/doctest" \
  ${UNCLIP_HTTPLIB_ROOT:+-DUNCLIP_HTTPLIB_ROOT=$UNCLIP_HTTPLIB_ROOT} >"$OUT/r/configure.log" 2>&1 ||
  { log "configure failed"; tail -40 "$OUT/r/configure.log"; pack; exit 1; }
grep "unclip-studio" "$OUT/r/configure.log" | tee -a "$OUT/r/session.log"

if ! ninja -C "$B" unclip-train >"$OUT/r/build_train.log" 2>&1; then
  log "trainer build failed"
  grep -A12 "error" "$OUT/r/build_train.log" | head -120
  ninja -C "$B" -k 0 >"$OUT/r/build_all.log" 2>&1
  pack
  exit 1
fi
log "trainer built"

MIN=$(python3 -c "print(round(max(0.5, ($TRAIN_END - $(el)) / 60), 2))")
log "training $STAGES for $MIN min each${INIT:+, starting from $INIT}"
pids=()
for st in $STAGES; do
  $B/bin/unclip-train train --work "$G/work" --stages $st --minutes $st=$MIN --device $DEVICE --threads 3 \
    ${INIT:+--init "$INIT"} >"$OUT/r/train_$st.log" 2>&1 &
  pids+=($!)
  sleep 2  # the three write the same train_config.json: keep the writes apart
done

nice -n 19 ninja -C "$B" -k 0 >"$OUT/r/build_all.log" 2>&1
log "build all rc=$?"
for dt in float32 float16 bfloat16; do
  [ "$(el)" -lt "$TRAIN_END" ] || break
  timeout 90 $B/bin/unclip verify --golden "$G/golden" --device $DEVICE --dtype $dt >"$OUT/r/verify_${DEVICE}_$dt.txt" 2>&1
  log "verify $DEVICE $dt rc=$? ($(grep -c PASS "$OUT/r/verify_${DEVICE}_$dt.txt") PASS lines)"
done
left=$((TRAIN_END + 15 - $(el)))
if [ "$left" -gt 20 ]; then
  (cd "$B" && UNCLIP_GOLDEN_DIR="$G/golden" nice -n 19 timeout $left \
    ctest -j 6 -LE "packaging|soak|embedded|training" --output-on-failure >"$OUT/r/ctest.txt" 2>&1)
  log "ctest rc=$? $(grep -E 'tests passed|tests failed' "$OUT/r/ctest.txt")"
fi

for p in "${pids[@]}"; do wait "$p"; log "training process $p rc=$?"; done
tail -n 3 "$OUT"/r/train_*.log
$B/bin/unclip-train export --work "$G/work" --out "$G/model" >"$OUT/r/export.log" 2>&1
log "export rc=$?"
tar -C "$G" -cf - model | gzip -1 | split -b 15M - "$OUT/model.tgz."
ls -la "$OUT"

for b in 1 4; do
  left=$((STOP - $(el)))
  [ "$left" -gt 30 ] || break
  timeout $left $B/bin/unclip bench pipeline --config karlo --device $DEVICE --dtype float16 --batch $b \
    >"$OUT/r/bench_karlo_fp16_b$b.txt" 2>&1
  log "bench b$b rc=$?"
  tail -n 12 "$OUT/r/bench_karlo_fp16_b$b.txt"
done
log "done"
pack
