#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   ./dev.sh run    install what is missing, build (Release), start the editor on the embedded model
#   ./dev.sh test   install what is missing, build (Release), run every test through ctest
#   ./dev.sh build  install what is missing and build only
# Idempotent: packages already present are not reinstalled, the build folder is reused.
set -euo pipefail
cd "$(dirname "$0")"

action="${1:-}"
case "$action" in
  run|test|build) ;;
  *) echo "usage: $0 run|test|build" >&2; exit 2 ;;
esac

BUILD_DIR="${UNCLIP_BUILD_DIR:-build}"
PACKAGES=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6svg6 qt6-image-formats-plugins
          libqcustomplot-dev libopencv-dev libzip-dev libgif-dev
          libtorch-dev libopenblas0-pthread fonts-noto-color-emoji unicode-data nlohmann-json3-dev libpng-dev zlib1g-dev
          xvfb xauth
          librsvg2-bin desktop-file-utils appstream)
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

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUNCLIP_WITH_UI=ON -DUNCLIP_BUILD_TESTS=ON
cmake --build "$BUILD_DIR" -j"$(nproc)"

case "$action" in
  run)
    exec "$BUILD_DIR/bin/unclip-studio" ;;
  test)
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(nproc)"
    # UNCLIP_SANITIZERS=1 (set by .ci/run): also the AddressSanitizer + UBSan core suite,
    # ThreadSanitizer on the threaded programs and each libFuzzer target for 30 s, each in a build
    # folder of its own (docs/reliability.md).
    if [ "${UNCLIP_SANITIZERS:-0}" = 1 ]; then
      tools/sanitize.sh address,undefined
      tools/sanitize.sh thread
      # Every libFuzzer target for a bounded time; a fixed seed makes the run repeatable.
      FUZZ_SEED="${FUZZ_SEED:-1}" fuzz/run-fuzzers.sh
    fi ;;
esac
