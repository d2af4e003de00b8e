#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Capsule fence: capsules may include only kernel/include/cairn headers, libc basics and
# other capsules, and may not touch memory-mapped registers by address.
set -u
bad=0
for f in capsules/*.c capsules/*.h; do
  while read -r inc; do
    case $inc in
      '<cairn/'*|'<stdint.h>'|'<stdbool.h>'|'<stddef.h>'|'<stdarg.h>') ;;
      '"'*)
        h=${inc//\"/}
        [[ -f capsules/$h ]] || { echo "$f: includes $inc (not a capsule header)"; bad=1; } ;;
      *) echo "$f: includes $inc (outside the capsule fence)"; bad=1 ;;
    esac
  done < <(grep -ho '#include *[<"][^>"]*[>"]' "$f" | sed 's/#include *//')
  if grep -nE '\(\s*(volatile\s+)?[a-z0-9_]+\s*\*\s*\)\s*0x[0-9a-fA-F]{5,}' "$f" | grep -v 'fence-ok'; then
    echo "$f: casts an address to a pointer (MMIO belongs to chip drivers)"; bad=1
  fi
done
exit $bad
