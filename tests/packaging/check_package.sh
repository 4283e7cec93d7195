#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Packaging checks, one step per ctest test (tests/packaging/CMakeLists.txt sets the environment):
#   install   cmake --install into a temporary DESTDIR (prefix /usr) and check the tree
#   cli       run the installed `unclip` from /tmp: --version, inspect, tokenize on the default model
#   editor    run the installed `unclip-studio --self-check` offscreen (English, LANG=de, --lang de)
#   desktop   desktop-file-validate + content checks          metainfo  appstreamcli validate --no-net
#   manpages  the installed man pages render without warnings
#   deb       cpack -G DEB, then dpkg-deb -c / -f checks      cleanup   remove the DESTDIR
# Exit 77 = skipped (a tool is missing).
# shellcheck disable=SC2015  # `test && ok ... || fail ...`: ok() always succeeds
set -uo pipefail

step="$1"
B="$UNCLIP_PKG_BUILD_DIR"
S="$UNCLIP_PKG_SOURCE_DIR"
V="$UNCLIP_PKG_VERSION"
ID="$UNCLIP_PKG_APP_ID"
UI="$UNCLIP_PKG_WITH_UI"
# Outside the build and source trees, one per build folder.
D="${TMPDIR:-/tmp}/unclip-pkgtest-$(printf %s "$B" | md5sum | cut -c1-10)"
P="$D/usr"                        # the installed prefix as seen on this machine
DATA="$P/share/unclip-studio"
MODEL="$DATA/models/unclip-emoji"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
finish() {
  if [ "$failures" -ne 0 ]; then echo "$step: $failures failure(s)"; exit 1; fi
  echo "$step: all checks passed"; exit 0
}
need_install() { [ -x "$P/bin/unclip" ] || { echo "FAIL: nothing installed in $D (run packaging_install)"; exit 1; }; }
# Run an installed program with a clean environment: no model override, isolated settings.
run_clean() {
  env -u UNCLIP_MODEL_DIR -u LANGUAGE -u LC_ALL -u LC_MESSAGES XDG_CONFIG_HOME="$D/config" \
      QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='qt.qpa.*=false' "$@"
}
# The package owning a library file; tries the merged-/usr aliases (/lib <-> /usr/lib) too.
owner_of() {
  local p c
  for p in "$1" "$(readlink -f "$1")"; do
    for c in "$p" "${p#/usr}" "/usr$p"; do
      dpkg -S "$c" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
    done
  done
  return 1
}
expect_file() { if [ -f "$1" ]; then ok "${1#"$D"}"; else fail "missing ${1#"$D"}"; fi; }
# Man pages are installed gzip-compressed (Debian policy): the path, and the text.
man_file() { if [ -f "$P/share/man/man1/$1.gz" ]; then echo "$P/share/man/man1/$1.gz"; else echo "$P/share/man/man1/$1"; fi; }
man_text() { if [[ "$1" == *.gz ]]; then zcat "$1"; else cat "$1"; fi; }

case "$step" in
install)
  rm -rf "$D" && mkdir -p "$D"
  if ! DESTDIR="$D" cmake --install "$B" --prefix /usr > "$D/install.log" 2>&1; then
    cat "$D/install.log"; echo "FAIL: cmake --install"; exit 1
  fi
  echo "installed into $D ($(grep -c Installing "$D/install.log") files)"
  expect_file "$P/bin/unclip"
  expect_file "$(man_file unclip.1)"
  expect_file "$P/share/doc/unclip-studio/copyright"
  expect_file "$P/share/doc/unclip-studio/changelog.gz"
  # The changelog's latest entry is this version.
  cv=$(zcat "$P/share/doc/unclip-studio/changelog.gz" 2>/dev/null | sed -n '1s/^unclip-studio (\([^)]*\)).*/\1/p')
  [ "$cv" = "$V" ] && ok "changelog starts with $V" || fail "changelog's latest entry is '$cv', not $V"
  if [ "$UI" = 1 ]; then
    expect_file "$P/bin/unclip-studio"
    expect_file "$(man_file unclip-studio.1)"
    expect_file "$P/share/applications/$ID.desktop"
    expect_file "$P/share/metainfo/$ID.metainfo.xml"
    expect_file "$P/share/icons/hicolor/scalable/apps/$ID.svg"
    for s in 48 128 256; do
      png="$P/share/icons/hicolor/${s}x${s}/apps/$ID.png"
      expect_file "$png"
      # A real PNG of the right size: the IHDR width/height are bytes 16..23.
      dims=$(od -An -tx1 -j16 -N8 "$png" 2>/dev/null | tr -d ' \n')
      want=$(printf '%08x%08x' "$s" "$s")
      [ "$dims" = "$want" ] || fail "$png is not ${s}x${s} (IHDR $dims)"
    done
    for ts in "$S"/translations/*.ts; do
      expect_file "$DATA/translations/$(basename "${ts%.ts}").qm"
    done
  fi
  # Every model folder in resources/models is installed as is.
  if [ -d "$S/resources/models" ]; then
    for m in "$S"/resources/models/*/; do
      [ -d "$m" ] || continue
      expect_file "$DATA/models/$(basename "$m")/model_index.json"
    done
  fi
  # No build-tree path inside the installed binaries or text files, and no RUNPATH into it.
  for f in "$P"/bin/*; do
    if strings -a "$f" | grep -F -e "$S" -e "$B" | head -3 | grep -q .; then
      fail "$(basename "$f") contains build-tree paths:"; strings -a "$f" | grep -F -e "$S" -e "$B" | head -5
    else
      ok "$(basename "$f"): no build-tree paths ($(strings -a "$f" | wc -l) strings)"
    fi
    rp=$(readelf -d "$f" 2>/dev/null | grep -E 'R(UN)?PATH' || true)
    [ -z "$rp" ] || fail "$(basename "$f") has $rp"
  done
  if grep -rlF -e "$S" -e "$B" "$P/share/man" "$P/share/applications" "$P/share/metainfo" 2>/dev/null | grep -q .; then
    fail "installed text files mention the build tree"
  fi
  # The model the runtime checks use: the embedded one, or the golden tiny model standing in for it.
  if [ ! -f "$MODEL/model_index.json" ]; then
    if [ -f "$UNCLIP_PKG_GOLDEN_MODEL/model_index.json" ]; then
      mkdir -p "$DATA/models" && cp -r "$UNCLIP_PKG_GOLDEN_MODEL" "$MODEL"
      echo "no embedded model in resources/models: using a copy of $UNCLIP_PKG_GOLDEN_MODEL as $MODEL"
    else
      echo "note: no embedded model and no golden model: model checks will be skipped"
    fi
  fi
  finish ;;

cli)
  need_install
  cd /tmp || exit 1
  out=$(run_clean "$P/bin/unclip" --version 2>&1); echo "$out"
  [[ "$out" == "unclip $V "* ]] && ok "--version is $V" || fail "--version does not start with 'unclip $V'"
  out=$(run_clean "$P/bin/unclip" --help 2>&1)
  for c in inspect tokenize verify; do grep -q "^  $c " <<<"$out" || fail "--help lacks $c"; done
  if [ -f "$MODEL/model_index.json" ]; then
    out=$(run_clean "$P/bin/unclip" inspect "$MODEL" 2>&1); rc=$?
    echo "$out" | tail -4
    [ $rc -eq 0 ] && grep -q "OK: every component is valid" <<<"$out" && ok "inspect on the installed model" \
      || fail "unclip inspect $MODEL exited $rc"
    # No --model: the tokenizer must come from <exe>/../share/unclip-studio/models/unclip-emoji.
    out=$(run_clean "$P/bin/unclip" tokenize "a red bicycle" 2>&1); rc=$?
    echo "$out" | cut -c1-120
    [ $rc -eq 0 ] && grep -q '"input_ids"' <<<"$out" && ok "tokenize found the installed model by itself" \
      || fail "unclip tokenize without --model exited $rc"
  else
    echo "note: no model installed, inspect/tokenize not run"
  fi
  finish ;;

editor)
  need_install
  cd /tmp || exit 1
  out=$(run_clean LANG=C "$P/bin/unclip-studio" --version 2>&1); echo "$out"
  grep -q "unclip-studio $V" <<<"$out" && ok "--version is $V" || fail "--version does not say $V"
  # English (C locale).
  out=$(run_clean LANG=C timeout 60 "$P/bin/unclip-studio" --self-check 2>&1); rc=$?; echo "$out"
  [ $rc -eq 0 ] || fail "--self-check exited $rc"
  grep -qx "unclip-studio $V" <<<"$out" || fail "self-check version"
  grep -qx "data dir: $DATA" <<<"$out" && ok "data dir is the installed one" || fail "data dir is not $DATA"
  if [ -f "$MODEL/model_index.json" ]; then
    grep -qx "model dir: $MODEL" <<<"$out" && ok "model dir is the installed one" || fail "model dir is not $MODEL"
  fi
  grep -qx "translation: en" <<<"$out" || fail "LANG=C should give English"
  if ls "$DATA"/translations/unclip-studio_de.qm >/dev/null 2>&1; then
    # German from the environment, then from --lang; both from the installed .qm.
    for how in "LANG=de_DE.UTF-8 $P/bin/unclip-studio --self-check" "LANG=C $P/bin/unclip-studio --self-check --lang de"; do
      # shellcheck disable=SC2086
      out=$(run_clean timeout 60 env $how 2>&1); rc=$?; echo "$out" | grep translation
      [ $rc -eq 0 ] || fail "$how exited $rc"
      grep -qx "translation: de" <<<"$out" && grep -qx "translation file: $DATA/translations/unclip-studio_de.qm" <<<"$out" \
        && ok "German loaded from the installed translations ($how)" || fail "German not loaded from $DATA/translations ($how)"
    done
  else
    fail "no German translation installed"
  fi
  finish ;;

desktop)
  need_install
  command -v desktop-file-validate >/dev/null || skip "desktop-file-validate not found (Debian: desktop-file-utils)"
  f="$P/share/applications/$ID.desktop"
  if out=$(desktop-file-validate "$f" 2>&1) && [ -z "$out" ]; then ok "desktop-file-validate"; else echo "$out"; fail "desktop-file-validate"; fi
  grep -qx 'Exec=unclip-studio %F' "$f" || fail "Exec is not 'unclip-studio %F'"
  grep -qx "Icon=$ID" "$f" || fail "Icon is not $ID"
  for m in image/png image/jpeg image/webp image/bmp image/openraster; do
    grep -q "^MimeType=.*$m;" "$f" || fail "MimeType lacks $m"
  done
  # image/openraster must be known to shared-mime-info, or .ora files would not match.
  if [ -d /usr/share/mime/packages ]; then
    grep -rqs 'type="image/openraster"' /usr/share/mime/packages/ || fail "image/openraster unknown to shared-mime-info"
  fi
  finish ;;

metainfo)
  need_install
  command -v appstreamcli >/dev/null || skip "appstreamcli not found (Debian: appstream)"
  f="$P/share/metainfo/$ID.metainfo.xml"
  if out=$(appstreamcli validate --pedantic --no-net "$f" 2>&1); then ok "appstreamcli validate --pedantic --no-net"; else fail "appstreamcli validate"; fi
  echo "$out"
  grep -q '<project_license>GPL-3.0-or-later</project_license>' "$f" && ok "project_license" || fail "no project_license GPL-3.0-or-later"
  grep -q '<developer id=' "$f" && ! grep -q '<developer_name>' "$f" && ok "<developer>" || fail "no <developer> (or the deprecated developer_name)"
  grep -q '<url type="help">' "$f" && ok "help URL" || fail "no help URL"
  grep -q "<id>$ID</id>" "$f" || fail "id is not $ID"
  grep -q "<launchable type=\"desktop-id\">$ID.desktop</launchable>" "$f" || fail "launchable"
  grep -q "<release version=\"$V\" date=\"$UNCLIP_PKG_RELEASE_DATE\"" "$f" && ok "release $V of $UNCLIP_PKG_RELEASE_DATE" \
    || fail "release is not $V / $UNCLIP_PKG_RELEASE_DATE"
  grep -q '<content_rating type="oars-1.1"' "$f" || fail "no OARS content rating"
  # Screenshot URLs point at docs/screenshots/ at the release's tag: those files must exist, and
  # every picture there is listed.
  shots=$(sed -n 's#.*<image[^>]*>\(.*\)/docs/screenshots/\([^<]*\)</image>.*#\1 \2#p' "$f")
  while read -r base shot; do
    [ -f "$S/docs/screenshots/$shot" ] && ok "screenshot docs/screenshots/$shot exists" || fail "docs/screenshots/$shot is missing"
    [[ "$base" == */v$V ]] && ok "$shot pinned to tag v$V" || fail "$shot URL is not pinned to v$V ($base)"
  done <<<"$shots"
  for png in "$S"/docs/screenshots/*.png; do
    grep -qw "$(basename "$png")" <<<"$shots" || fail "docs/screenshots/$(basename "$png") is not in the metainfo"
  done
  finish ;;

manpages)
  need_install
  pages=("$(man_file unclip.1)")
  [ "$UI" = 1 ] && pages+=("$(man_file unclip-studio.1)")
  for m in "${pages[@]}"; do
    man_text "$m" | grep -q "^\.TH .*\"unclip-studio $V\"" && ok "$(basename "$m") names version $V" || fail "$(basename "$m") .TH lacks $V"
    if command -v groff >/dev/null; then
      w=$(man_text "$m" | groff -man -Tutf8 -ww -z 2>&1)
      [ -z "$w" ] && ok "$(basename "$m") renders without warnings" || { echo "$w"; fail "$(basename "$m") groff warnings"; }
    fi
  done
  # unclip(1) covers every command `unclip --help` lists.
  for c in $(run_clean "$P/bin/unclip" --help 2>/dev/null | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
    man_text "$(man_file unclip.1)" | grep -q "^\.BR\? $c\b" && ok "unclip.1 documents $c" || fail "unclip.1 lacks the $c command"
  done
  finish ;;

deb)
  command -v dpkg-deb >/dev/null || skip "dpkg-deb not found"
  out_dir="$D-deb"
  rm -rf "$out_dir" && mkdir -p "$out_dir"
  if ! cpack --config "$B/CPackConfig.cmake" -G DEB -B "$out_dir" > "$out_dir/cpack.log" 2>&1; then
    cat "$out_dir/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1
  fi
  deb=$(find "$out_dir" -maxdepth 1 -name '*.deb' | head -1)
  [ -n "$deb" ] || { cat "$out_dir/cpack.log"; echo "FAIL: no .deb made"; exit 1; }
  echo "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"
  dpkg-deb -f "$deb" Package Version Architecture Depends
  [ "$(dpkg-deb -f "$deb" Version)" = "$V" ] && ok "Version $V" || fail "Version is not $V"
  [ "$(dpkg-deb -f "$deb" Package)" = "unclip-studio" ] || fail "Package is not unclip-studio"
  if [ "$UI" = 1 ]; then
    dpkg-deb -f "$deb" Recommends | grep -qw qt6-wayland && ok "Recommends qt6-wayland" || fail "does not recommend qt6-wayland"
    dpkg-deb -f "$deb" Recommends | grep -qw qt6-translations-l10n && ok "Recommends qt6-translations-l10n" \
      || fail "does not recommend qt6-translations-l10n (Qt's own German buttons and key names)"
  fi
  list=$(dpkg-deb -c "$deb") || fail "dpkg-deb -c"
  echo "$list" | awk '{print $6}' | grep -v '/$'
  want=(./usr/bin/unclip ./usr/share/man/man1/unclip.1.gz ./usr/share/doc/unclip-studio/copyright
        ./usr/share/doc/unclip-studio/changelog.gz)
  [ "$UI" = 1 ] && want+=(./usr/bin/unclip-studio "./usr/share/applications/$ID.desktop" "./usr/share/metainfo/$ID.metainfo.xml"
                        "./usr/share/icons/hicolor/scalable/apps/$ID.svg" "./usr/share/icons/hicolor/256x256/apps/$ID.png"
                        ./usr/share/unclip-studio/translations/unclip-studio_de.qm)
  for m in "$S"/resources/models/*/; do
    [ -f "$m/model_index.json" ] && want+=("./usr/share/unclip-studio/models/$(basename "$m")/model_index.json")
  done
  for w in "${want[@]}"; do
    awk '{print $6}' <<<"$list" | grep -qx "$w" && ok "deb has $w" || fail "deb lacks $w"
  done
  # Every shared library the packaged programs load directly comes from a package in Depends.
  if command -v dpkg >/dev/null && dpkg -S /bin/sh >/dev/null 2>&1; then
    x="$out_dir/x" && mkdir -p "$x" && dpkg-deb -x "$deb" "$x"
    depends=$(dpkg-deb -f "$deb" Depends)
    for bin in "$x"/usr/bin/*; do
      for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64|AArch64|aarch64/ {print $NF; exit}')
        [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
        [ -n "$path" ] || { fail "$(basename "$bin"): $lib not found on this machine"; continue; }
        pkg=$(owner_of "$path")
        if [ -z "$pkg" ]; then fail "$lib ($path) belongs to no package"
        elif tr ',|' '\n' <<<"$depends" | awk '{print $1}' | grep -Fqx "$pkg"; then ok "$(basename "$bin"): $lib <- $pkg"
        else fail "$(basename "$bin") needs $lib from $pkg, which is not in Depends"; fi
      done
    done
  else
    echo "note: not a dpkg system, Depends coverage not checked"
  fi
  # lintian (Debian: lintian), when installed: no error.
  if command -v lintian >/dev/null; then
    lout=$(lintian --no-tag-display-limit "$deb" 2>&1)
    echo "$lout"
    grep -q '^E: ' <<<"$lout" && fail "lintian reports errors" || ok "lintian: no errors"
  else
    echo "note: lintian not installed, not run"
  fi
  rm -rf "$out_dir"
  finish ;;

cleanup)
  rm -rf "$D"   # (not $D-deb: packaging_deb is no part of the fixture and may still run)
  echo "removed $D"; exit 0 ;;

*) echo "unknown step $step"; exit 2 ;;
esac
