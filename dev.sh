#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One entry point for a fresh Debian 12 machine:
#   ./dev.sh run    install what is missing, build (Release), start the editor on the embedded model
#   ./dev.sh test   install what is missing, build (Release), run every test through ctest
#   ./dev.sh build  install what is missing and build only
#   UNCLIP_TORCH=/path/to/libtorch ./dev.sh server
#                   the Qt-free programs (`unclip serve`, the CLI, core tests) against the LibTorch
#                   you name: an official LibTorch folder, or a Python (or venv) with torch. The
#                   editor then uses it through Settings > Inference (docs/api.md).
# Idempotent: packages already present are not reinstalled, the build folder is reused.
set -euo pipefail
cd "$(dirname "$0")"

action="${1:-}"
case "$action" in
  run|test|build|server) ;;
  *) echo "usage: $0 run|test|build|server" >&2; exit 2 ;;
esac

BUILD_DIR="${UNCLIP_BUILD_DIR:-build}"
PACKAGES=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6svg6 qt6-image-formats-plugins
          libqcustomplot-dev libopencv-dev libzip-dev libgif-dev
          libtorch-dev libopenblas0-pthread fonts-noto-color-emoji unicode-data nlohmann-json3-dev libpng-dev zlib1g-dev
          libcpp-httplib-dev doctest-dev nginx
          xvfb xauth
          librsvg2-bin desktop-file-utils appstream dpkg-dev lintian)
# nginx: test_cli_nginx runs its binary as this user in a scratch folder (docs/deploy.md's setup); the
# package also starts Debian's default site on port 80 (`systemctl disable --now nginx` if unwanted).
# `server` needs only the Qt-free build's packages; LibTorch comes from $UNCLIP_TORCH.
[ "$action" = server ] && PACKAGES=(cmake ninja-build g++ pkg-config nlohmann-json3-dev libpng-dev zlib1g-dev libcpp-httplib-dev doctest-dev)
# The CI switch (UNCLIP_SANITIZERS=1, see below) also builds the libFuzzer targets with clang.
[ "${UNCLIP_SANITIZERS:-0}" = 1 ] && PACKAGES+=(clang libclang-rt-14-dev llvm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$action" = server ]; then
  torch="${UNCLIP_TORCH:?set UNCLIP_TORCH to an official LibTorch folder or to a python with torch}"
  if [ -d "$torch/share/cmake/Torch" ]; then
    prefix="$torch"
  else
    py="$torch"
    [ -d "$torch" ] && py="$torch/bin/python3"
    prefix="$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')" \
      || { echo "UNCLIP_TORCH=$torch is neither a LibTorch folder nor a python with torch" >&2; exit 2; }
  fi
  dir="${UNCLIP_BUILD_DIR:-build-server}"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUNCLIP_WITH_UI=OFF -DUNCLIP_BUILD_TESTS=ON \
        -DCMAKE_PREFIX_PATH="$prefix"
  cmake --build "$dir" -j"$(nproc)" --target unclip
  echo "== built $dir/bin/unclip; start the server with e.g."
  echo "   $dir/bin/unclip serve --model karlo-v1-alpha --image-encoder karlo-v1-alpha-image-variations --device cuda --dtype float16"
  exit 0
fi

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUNCLIP_WITH_UI=ON -DUNCLIP_BUILD_TESTS=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"

case "$action" in
  run)
    exec "$BUILD_DIR/bin/unclip-studio" ;;
  test)
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
    # UNCLIP_SANITIZERS=1 (set by .ci/run): also the AddressSanitizer + UBSan core suite (clang,
    # build-asan/, which also holds the libFuzzer targets), ThreadSanitizer on the threaded programs
    # (clang too, build-tsan/) and each libFuzzer target for 15 s (docs/reliability.md).
    if [ "${UNCLIP_SANITIZERS:-0}" = 1 ]; then
      # One clang ASan + UBSan build serves the core suite and the libFuzzer targets.
      SANITIZE_FUZZ=1 tools/sanitize.sh address,undefined
      tools/sanitize.sh thread
      # Every libFuzzer target for a bounded time (15 s: a check that nothing new breaks at once;
      # the long runs are docs/reliability.md's); a fixed seed makes the run repeatable.
      FUZZ_BUILD_DIR="$PWD/build-asan" FUZZ_SECONDS="${FUZZ_SECONDS:-15}" FUZZ_SEED="${FUZZ_SEED:-1}" fuzz/run-fuzzers.sh
    fi ;;
esac
