#!/usr/bin/env bash
# Makes TorchSharp's native shim load on systems whose libstdc++ predates GLIBCXX_3.4.32 (Debian 12).
# libLibTorchSharp.so asks for that version only for one marker symbol that nothing calls, so its
# version requirement is marked WEAK (vna_flags |= VER_FLG_WEAK) instead of shipping another libstdc++.
# Usage: fix-libtorchsharp.sh DIR   (patches every libLibTorchSharp.so below DIR)
set -euo pipefail
dir="${1:?usage: fix-libtorchsharp.sh OUTPUT_DIR}"

# Only Linux with an older libstdc++ needs this.
[ "$(uname -s)" = "Linux" ] || exit 0
libstdcxx=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {print $NF; found = 1}')
[ -n "$libstdcxx" ] || libstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
if [ -f "$libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; then exit 0; fi

# TorchSharp 0.107.0: the Vernaux entry of GLIBCXX_3.4.32 (hash 0x0297f842) has its flags at this offset.
original=cf33b1b0bb6bbb9754a768fb5c5d04d9f498603be50e73f55621a0b40ee608b8
patched=5968efac8270eff8a2b5ca7381612ea9cc54d81cf4104a54e0e6106b7b5f11e3
flags_offset=260660

found=0
while IFS= read -r -d '' lib; do
  found=1
  sum=$(sha256sum "$lib" | cut -d' ' -f1)
  if [ "$sum" = "$patched" ]; then continue; fi
  if [ "$sum" != "$original" ]; then
    echo "fix-libtorchsharp: $lib is not the TorchSharp 0.107.0 file this fix knows (sha256 $sum); update build/fix-libtorchsharp.sh for the new version" >&2
    exit 1
  fi
  # Write to a copy and rename, so an interrupted build never leaves a half-patched library.
  tmp="$lib.patching"
  cp "$lib" "$tmp"
  printf '\x02' | dd of="$tmp" bs=1 seek="$flags_offset" conv=notrunc status=none
  [ "$(sha256sum "$tmp" | cut -d' ' -f1)" = "$patched" ] || { rm -f "$tmp"; echo "fix-libtorchsharp: patch of $lib did not give the expected file" >&2; exit 1; }
  mv -f "$tmp" "$lib"
done < <(find "$dir" -name libLibTorchSharp.so -print0)
exit 0
