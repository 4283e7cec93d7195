#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (clang, ASan + UBSan, a build folder of their own) and runs each one
# for a bounded time over its committed seeds (fuzz/corpus/<target>) and past findings
# (fuzz/regressions/<target>). Fails if any target finds a crash, a sanitizer report, a failed
# FUZZ_CHECK, an escaping exception, a timeout or an out-of-memory.
#
#   fuzz/run-fuzzers.sh                      every target, 30 s each
#   FUZZ_SECONDS=600 fuzz/run-fuzzers.sh png tokenizer
#
# Environment: FUZZ_SECONDS (per target, default 30), FUZZ_BUILD_DIR (default <repo>/build-fuzz),
# FUZZ_CXX (default clang++), FUZZ_JOBS (build parallelism, default nproc), FUZZ_SEED (libFuzzer's
# -seed: the same seed explores the same inputs, so a run can be repeated; default: random),
# FUZZ_ARGS (extra libFuzzer flags). The inputs each run discovers are kept in <build>/fuzz-work/<target>/corpus
# (not committed; reused by the next run). A finding is written to
# <build>/fuzz-work/<target>/artifacts/; reproduce it with
#   <build>/bin/fuzz_<target> <file>
# then fix the code and copy the file to fuzz/regressions/<target>/ (replayed by ctest).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$repo/build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
jobs="${FUZZ_JOBS:-$(nproc)}"
all_targets=(safetensors png tokenizer tokenizer_vocab model_config request ora image_probe exif)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "unknown fuzz target '$t' (known: ${all_targets[*]})" >&2; exit 2; }
done

# The OpenRaster reader (ora) needs the editor's dependencies (Qt, libzip, OpenCV) configured, and
# the imaging targets (image_probe, exif) OpenCV.
ui=OFF
for t in ora image_probe exif; do [[ " ${targets[*]} " == *" $t "* ]] && ui=ON; done
cache="$build/CMakeCache.txt"
if grep -q '^UNCLIP_FUZZ:BOOL=ON' "$cache" 2>/dev/null &&
   { [ "$ui" = OFF ] || grep -q '^UNCLIP_WITH_UI:BOOL=ON' "$cache"; }; then
  # A folder already configured for fuzzing (`SANITIZE_FUZZ=1 tools/sanitize.sh` makes build-asan
  # one): its libraries are built, only the fuzz programs are left.
  echo "== using $build as configured (UNCLIP_FUZZ=ON)"
else
  echo "== configure $build (clang, UNCLIP_FUZZ=ON: ASan + UBSan + libFuzzer; UI $ui)"
  mkdir -p "$build"
  # -O1, as libFuzzer's manual builds its targets: a faster build than -O3 for 30-second runs.
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
        -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++}" \
        -DUNCLIP_FUZZ=ON -DUNCLIP_WITH_UI="$ui" -DUNCLIP_BUILD_TESTS=OFF > "$build/configure.log" 2>&1 \
    || { cat "$build/configure.log"; exit 1; }
fi
echo "== build ${targets[*]/#/fuzz_}"
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}"

# LibTorch and libpng are not instrumented; see docs/reliability.md for why each option is here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if command -v llvm-symbolizer >/dev/null 2>&1; then export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"; fi

dict_for() {
  case "$1" in
    safetensors) echo "json safetensors" ;;
    model_config) echo "json model_config" ;;
    request) echo "json request" ;;
    tokenizer_vocab) echo "json tokenizer" ;;
    tokenizer) echo "tokenizer" ;;
    png) echo "png" ;;
    ora) echo "ora png" ;;
    image_probe | exif) echo "image" ;;
  esac
}

failed=0
summary=()
for t in "${targets[@]}"; do
  work="$build/fuzz-work/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  dict="$work/$t.dict"
  : > "$dict"
  for d in $(dict_for "$t"); do cat "$repo/fuzz/dict/$d.dict" >> "$dict"; done
  seeds=("$repo/fuzz/corpus/$t")
  [ -d "$repo/fuzz/regressions/$t" ] && seeds+=("$repo/fuzz/regressions/$t")
  echo "== fuzz_$t for ${seconds}s"
  set +e
  # -timeout: one input may take at most 25 s. -malloc_limit_mb: any single allocation over 512 MB
  # is a finding (a small file must not make us allocate gigabytes); -rss_limit_mb: LibTorch + ASan
  # need headroom for the process as a whole.
  (cd "$work" && "$build/bin/fuzz_$t" -max_total_time="$seconds" -timeout=25 -malloc_limit_mb=512 -rss_limit_mb=3072 \
      -print_final_stats=1 -dict="$dict" -artifact_prefix="$work/artifacts/" ${FUZZ_SEED:+-seed=$FUZZ_SEED} ${FUZZ_ARGS:-} \
      "$work/corpus" "${seeds[@]}") > "$work/log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  eps=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | tail -1 | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -oE '(DONE|INITED|pulse|NEW|REDUCE) +cov: [0-9]+' "$work/log" | tail -1 | grep -oE '[0-9]+$' || echo "?")
  corpus=$(find "$work/corpus" -type f | wc -l)
  line=$(printf '%-16s runs %-9s exec/s %-6s cov %-6s corpus %-5s' "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "$corpus")
  if [ $rc -ne 0 ]; then
    failed=1
    line="$line FINDING (exit $rc)"
    echo "---- fuzz_$t failed; log tail:"
    grep -vE '^#[0-9]+ +(NEW|REDUCE|pulse)|NEW_FUNC' "$work/log" | tail -40
    echo "---- artifacts: $(ls "$work/artifacts" | tr '\n' ' ')"
  else
    line="$line ok"
  fi
  echo "$line"
  summary+=("$line")
done

echo "== summary (${seconds}s per target; logs in $build/fuzz-work/<target>/log)"
printf '%s\n' "${summary[@]}"
exit $failed
