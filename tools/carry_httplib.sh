#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Unpacks Debian's cpp-httplib (and the headers and libraries its compiled form needs: OpenSSL,
# zlib, brotli) into gpu/httplib for a machine without Debian packages (the GPU machine), where
#   cmake ... -DUNCLIP_WITH_UI=OFF -DUNCLIP_HTTPLIB_ROOT=$PWD/gpu/httplib
#   export LD_LIBRARY_PATH=$PWD/gpu/httplib/usr/lib/x86_64-linux-gnu:$LD_LIBRARY_PATH
# builds and runs `unclip serve` there. gpu/ is ignored through .git/info/exclude and travels with
# `carry: ["gpu"]` (about 10 MB). Runs on the Debian machine (apt-get download, dpkg-deb -x).
set -eu
cd "$(dirname "$0")/.."
grep -qx "/gpu/" .git/info/exclude 2>/dev/null || echo "/gpu/" >>.git/info/exclude
dest=gpu/httplib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download libcpp-httplib-dev libcpp-httplib0.11 libssl-dev libssl3 zlib1g-dev zlib1g \
   libbrotli-dev libbrotli1 >/dev/null)
rm -rf "$dest" && mkdir -p "$dest"
for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
rm -rf "$dest/usr/share" && find "$dest" -name '*.a' -delete  # docs and static libraries: not needed
# The package's libcpp-httplib.so link points into /usr; make every link relative to the folder.
for link in $(find "$dest" -type l); do
  target=$(readlink "$link")
  case "$target" in /*) ln -sfn "$(basename "$target")" "$link" ;; esac
done
du -sh "$dest"
