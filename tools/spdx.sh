#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Puts the project's licence tag on every source file that lacks it:
#   // SPDX-License-Identifier: GPL-3.0-or-later     C++ (*.cpp *.h *.hpp *.cc *.c)
#   # SPDX-License-Identifier: GPL-3.0-or-later      CMake, shell, Python (after a #! line)
#   tools/spdx.sh           add the line where it is missing (prints each file it changes)
#   tools/spdx.sh --check   change nothing; list the files without it and exit 1 if there are any
# Source files are those git knows (tracked or not ignored), or every file outside build folders
# when the tree is no git checkout; data (tests/golden, fuzz corpora and findings) is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=fix
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  *) echo "usage: tools/spdx.sh [--check]" >&2; exit 2 ;;
esac
TAG="SPDX-License-Identifier: GPL-3.0-or-later"

list_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -co --exclude-standard
  else
    find . -type f -not -path './build*' -not -path './.git/*' | sed 's|^\./||'
  fi
}

# The comment syntax for a path, or nothing when the file is not source code.
comment_for() {
  case "$1" in
    tests/golden/* | tests/golden-kandinsky/* | fuzz/corpus/* | fuzz/regressions/*) ;;
    *.cpp | *.h | *.hpp | *.cc | *.c) echo "//" ;;
    */CMakeLists.txt | CMakeLists.txt | *.cmake | *.sh | *.py | .ci/run) echo "#" ;;
  esac
}

missing=0
while IFS= read -r f; do
  [ -f "$f" ] || continue  # deleted but still in the index
  c=$(comment_for "$f")
  [ -n "$c" ] || continue
  # The tag belongs on the first line, or the second after a #! line.
  if head -n 2 "$f" | grep -qF "$TAG"; then continue; fi
  if [ "$mode" = check ]; then
    echo "no SPDX line: $f"
    missing=$((missing + 1))
    continue
  fi
  tmp="$f.spdx-tmp"
  if head -c 2 "$f" | grep -q '^#!'; then
    { head -n 1 "$f"; echo "$c $TAG"; tail -n +2 "$f"; } > "$tmp"
  else
    { echo "$c $TAG"; cat "$f"; } > "$tmp"
  fi
  chmod --reference="$f" "$tmp" && mv "$tmp" "$f"
  echo "added: $f"
done < <(list_files)

if [ "$mode" = check ]; then
  if [ "$missing" -gt 0 ]; then
    echo "$missing source file(s) lack '$TAG' (run tools/spdx.sh)"
    exit 1
  fi
  echo "every source file carries '$TAG'"
fi
