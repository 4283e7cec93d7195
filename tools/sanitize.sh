#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The core test suite under sanitizers, in a build folder of its own (docs/reliability.md).
#
#   tools/sanitize.sh                       ASan + UBSan, ctest -L core (the Qt-free suite, fuzz replays, soak,
#                                           and `unclip serve` in process: test_server, test_server_soak)
#   tools/sanitize.sh thread                ThreadSanitizer (build-tsan) on the programs that use threads:
#                                           the editor's inference thread and saver thread (test_inference,
#                                           test_recovery, test_saving), the core soak, tokenizer and
#                                           pipeline tests and `unclip serve` with its soak (test_server,
#                                           test_server_soak) (SANITIZE_UI defaults to ON here)
#   tools/sanitize.sh address,undefined -R test_safetensors     extra arguments go to ctest
#   SANITIZE_FUZZ=1 tools/sanitize.sh       ASan + UBSan build that also holds the libFuzzer targets
#                                           (clang, UNCLIP_FUZZ=ON): `FUZZ_BUILD_DIR=build-asan
#                                           fuzz/run-fuzzers.sh` then builds only the fuzz programs (CI)
#
# Environment: SANITIZE_BUILD_DIR (default <repo>/build-asan, build-tsan for thread), SANITIZE_CXX
# (compiler; default clang++ where installed, else c++), SANITIZE_OPT (optimisation flag, default -O1; -O3 for thread), SANITIZE_UI=ON (also build the editor and run its tests: label "ui"),
# SANITIZE_LABELS (ctest -L regex, default "core", or "core|ui" with SANITIZE_UI=ON), SANITIZE_TESTS
# (ctest -R regex: build and run only those, e.g. SANITIZE_TESTS=test_tokenizer), SANITIZE_SERVER=0
# (leave out the HTTP server's tests, ctest label "server"; default 1: they run), JOBS (build and
# ctest parallelism, default nproc), SANITIZE_TEST_CASES=ON (one ctest test per doctest case, as the
# normal build; default OFF: one per program, which saves a sanitized process start per case). Prints the time of each phase.
# `unclip serve` through the built binary (test_cli_server, label "cli") is not in the defaults (it
# needs the whole `unclip` program built with the sanitizers):
#   SANITIZE_LABELS='core|cli' SANITIZE_TESTS='^(test_server|test_server_soak|test_cli_server)(:|$)' tools/sanitize.sh
# Measured times of each run: docs/reliability.md, "Sanitizer builds".
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
san="${1:-address,undefined}"
[ $# -gt 0 ] && shift
case "$san" in
  thread) default_dir="$repo/build-tsan" ;;
  *) default_dir="$repo/build-asan" ;;
esac
build="${SANITIZE_BUILD_DIR:-$default_dir}"
if [ "$san" = thread ]; then
  ui="${SANITIZE_UI:-ON}"
  : "${SANITIZE_TESTS:=^(test_inference|test_recovery|test_saving|test_soak|test_tokenizer|test_pipeline|test_server|test_server_soak)(:|\$)}"
else
  ui="${SANITIZE_UI:-OFF}"
fi
if [ "$ui" = ON ]; then labels="${SANITIZE_LABELS:-core|ui}"; else labels="${SANITIZE_LABELS:-core}"; fi
# Clang by default: with the precompiled header it compiles about twice as fast as GCC (one
# pipeline batch under ASan at -O1: 52 s vs 110 s; test_pipeline.cpp 23 s vs 35 s; the TSan build
# 373 s vs 534 s), and the ASan folder can hold the libFuzzer targets.
cxx="${SANITIZE_CXX:-$(command -v clang++ || echo c++)}"
# Clang 14's TSan runtime aborts in a child that QProcess forks from a multi-threaded process
# ("CHECK failed: tsan_rtl.cpp:234" in ForkAfter); test_recovery's killed-editor case starts one, so
# it skips itself there (its other cases run). GCC 12's runtime runs it: SANITIZE_CXX=c++.
if [ "$san" = thread ] && "$cxx" --version 2>/dev/null | grep -q "clang version 14"; then
  export UNCLIP_TSAN_NO_FORK=1
fi
fuzz="${SANITIZE_FUZZ:-0}"
configure_ui="$ui"
if [ "$fuzz" = 1 ]; then
  [ "$san" = thread ] && { echo "SANITIZE_FUZZ=1 needs the address,undefined build" >&2; exit 2; }
  configure_ui=ON  # configured, not built: the ora/image fuzz programs need the editor's dependencies
fi
jobs="${JOBS:-$(nproc)}"
cores="$(nproc)"  # before OMP_NUM_THREADS=1 below, which nproc honours
supp="$repo/tools/sanitizers"

t0=$(date +%s)
echo "== configure $build (UNCLIP_SANITIZE=$san, $cxx, UI $ui, fuzz targets $fuzz)"
mkdir -p "$build"
# ASan + UBSan at -O1 (SANITIZE_OPT): the level the sanitizers' manuals suggest; it compiles a third
# faster than Release's -O3 (one pipeline unit under ASan: 183 s vs 253 s) and those tests spend
# their time inside LibTorch, which is not rebuilt. ThreadSanitizer keeps -O3: its editor tests time
# the GUI thread during a background save, and the editor's own pixel loops at -O1 under TSan leave
# the event loop too little time there (test_saving: 2 timer ticks in the last 2 s of a 21 s save).
if [ "$san" = thread ]; then default_opt=-O3; else default_opt=-O1; fi
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="${SANITIZE_OPT:-$default_opt} -DNDEBUG" \
      -DCMAKE_CXX_COMPILER="$cxx" -DUNCLIP_FUZZ="$([ "$fuzz" = 1 ] && echo ON || echo OFF)" \
      -DUNCLIP_SANITIZE="$san" -DUNCLIP_WITH_UI="$configure_ui" -DUNCLIP_BUILD_TESTS=ON \
      -DUNCLIP_TEST_CASES="${SANITIZE_TEST_CASES:-OFF}" > "$build/configure.log" 2>&1 \
  || { cat "$build/configure.log"; exit 1; }
t1=$(date +%s)

# The sanitizers' settings come first: building a doctest program runs it once to list its cases.
# Suppressions: only well-understood third-party noise, each entry commented in its file.
# allocator_may_return_null=1: a request LibTorch cannot satisfy (a config asking for petabytes,
# tests/core/test_bad_models.cpp) fails as it does without ASan (malloc returns null, LibTorch
# throws, we report a ModelError) instead of ASan aborting with allocation-size-too-big.
export ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:suppressions=$supp/asan.supp}"
# LeakSanitizer stops the world with ptrace; containers without that capability make every
# program fail with "LeakSanitizer has encountered a fatal error". Probe once and, if so, run
# without leak checking (said loudly) rather than report false failures.
if [[ "$san" == *address* ]]; then
  probe="$build/lsan-probe"
  if echo 'int main() { return 0; }' | "$cxx" -fsanitize=address -x c++ - -o "$probe" 2>/dev/null &&
     ! "$probe" >/dev/null 2>&1; then
    echo "== WARNING: LeakSanitizer cannot run here (no ptrace?): leak detection off for this run"
    export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
  fi
fi
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp}"
# die_after_fork=0: test_recovery starts a child editor with QProcess from a multi-threaded process;
# the forked child only execs, but TSan's fork check would kill it first.
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:die_after_fork=0:suppressions=$supp/tsan.supp}"
if command -v llvm-symbolizer >/dev/null 2>&1; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer)"
  export TSAN_OPTIONS="$TSAN_OPTIONS:external_symbolizer_path=$ASAN_SYMBOLIZER_PATH"
fi
# The soaks at a size that still mixes every kind of cycle and cancel (500 cycles and 300 jobs by
# default): sanitized, each cycle costs several times as much.
export UNCLIP_SOAK_CYCLES="${UNCLIP_SOAK_CYCLES:-200}" UNCLIP_SOAK_JOBS="${UNCLIP_SOAK_JOBS:-120}"
# One OpenMP/BLAS thread per test: ctest already runs tests in parallel, and it keeps TSan's view small.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
[ "$ui" = ON ] && export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

# Build only what the selected tests run. A test is named after its program ("test_x", or
# "test_x:case" for the doctest programs, whose cases ctest learns only once they are built: their
# programs per label come from test_programs.txt, written at configure time).
select=(-L "$labels")
# The HTTP server's tests (label "server": worker threads inside Debian's uninstrumented
# cpp-httplib, see tools/sanitizers/tsan.supp) run clean under both settings; SANITIZE_SERVER=0
# leaves them out.
server="${SANITIZE_SERVER:-1}"
[ "$server" = 1 ] || select+=(-LE server)
[ -n "${SANITIZE_TESTS:-}" ] && select+=(-R "$SANITIZE_TESTS")
mapfile -t tests < <(
  { ctest --test-dir "$build" -N "${select[@]}" | sed -n 's/^ *Test *#[0-9]*: *//p' | sed 's/:.*//'
    if [ -z "${SANITIZE_TESTS:-}" ]; then
      awk -v re="^($labels)\$" -v server="$server" \
        '$1 == "server" {skip[$2] = 1} $1 ~ re {want[$2] = 1} END {for (p in want) if (server == 1 || !(p in skip)) print p}' \
        "$build/test_programs.txt"
    else
      awk -v server="$server" '$1 == "server" {skip[$2] = 1} {all[$2] = 1}
        END {for (p in all) if (server == 1 || !(p in skip)) print p}' "$build/test_programs.txt" |
        grep -E "$SANITIZE_TESTS" || true
    fi
  } | grep -v '_NOT_BUILT' | sort -u)
[ ${#tests[@]} -gt 0 ] || { echo "no tests with label '$labels'" >&2; exit 1; }
echo "== build ${#tests[@]} test programs"
cmake --build "$build" -j"$jobs" --target "${tests[@]}"
t2=$(date +%s)

echo "== ctest ${select[*]} (sanitizers: $san)"
set +e
ctest --test-dir "$build" "${select[@]}" --output-on-failure -j"$jobs" --timeout 1800 "$@"
rc=$?
set -e
t3=$(date +%s)
echo "== times: configure $((t1 - t0)) s, build $((t2 - t1)) s, tests $((t3 - t2)) s, total $((t3 - t0)) s ($cores cores)"
exit $rc
