#!/usr/bin/env bash
# OS errors that need root and a mount (issue 22 item 7; the rest is test/safety/os-errors.test.ts):
# a read-only file system, a full disk and a busy mount point as --out, and a full disk while
# import writes its draft. Each must exit 1 with one line naming the path and the fix, and leave
# every file on the mount as it was (no temp directory, no partial draft).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "os-errors: skipped (needs root to mount file systems)" >&2
  exit 0
fi
work=$(mktemp -d)
mnt="$work/mnt"
mkdir "$mnt"
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# Every entry on the mount with its kind, size and content hash.
snap() { (cd "$1" && find . -printf '%p %y %s\n' | sort && find . -type f -exec sha256sum {} + | sort); }

fails=0
# expect <name> <regex for the one stderr line> <command...>: exit 1, one line, mount unchanged.
expect() {
  local name=$1 re=$2
  shift 2
  local before after err code=0
  before=$(snap "$mnt")
  err=$("$@" 2>&1 >/dev/null) || code=$?
  after=$(snap "$mnt")
  if [ "$code" != 1 ] || [ "$(printf '%s\n' "$err" | wc -l)" != 1 ] || ! printf '%s' "$err" | grep -Eq "$re" || [ "$before" != "$after" ]; then
    echo "os-errors: FAIL $name: exit $code, stderr: $err" >&2
    [ "$before" == "$after" ] || echo "os-errors:   the mount changed" >&2
    fails=$((fails + 1))
  else
    echo "os-errors: ok   $name"
  fi
}
synth() { node bin/synth.cjs --baseline none "$@"; }

# A read-only file system holding an earlier output.
mount -t tmpfs -o size=4m tmpfs "$mnt"
synth --out "$mnt/dist" >/dev/null
mount -o remount,ro "$mnt"
# The same output again needs no write (an output already there byte for byte is not swapped,
# lib/output/write.ts holdsExactly): exit 0 and the mount unchanged. Another output must fail.
before=$(snap "$mnt")
if synth --out "$mnt/dist" >/dev/null 2>&1 && [ "$before" == "$(snap "$mnt")" ]; then
  echo "os-errors: ok   read-only --out (the same output: nothing to write)"
else
  echo "os-errors: FAIL read-only --out (the same output: nothing to write)" >&2
  fails=$((fails + 1))
fi
expect 'read-only --out (replacing an output)' "^output error: cannot write $mnt/dist/: read-only file system .*; choose a path on a writable file system" \
  synth --config test/fixtures/other-cluster.yaml --out "$mnt/dist"
expect 'read-only --out (a new directory)' "^output error: cannot write $mnt/new/: read-only file system .*; choose a path on a writable file system" synth --out "$mnt/new"
umount "$mnt"

# A full disk: the output does not fit (64 KiB), and import's draft does not fit either.
mount -t tmpfs -o size=64k tmpfs "$mnt"
expect 'full disk under --out' "^output error: cannot write $mnt/dist/: no space left on device.*; free some space on that file system and run again$" synth --out "$mnt/dist"
head -c 60k /dev/zero >"$mnt/filler"
expect 'full disk while import writes the draft' "^import error: cannot write $mnt/draft.yaml: no space left on device; free some space" \
  node bin/import.cjs --from test/fixtures/hand-written-layer --out "$mnt/draft.yaml"
umount "$mnt"

# A mount point as --out: the swap renames the directory, which a mount point refuses.
mount -t tmpfs -o size=4m tmpfs "$mnt"
expect 'a mount point as --out' "^output error: cannot write $mnt/: resource busy \\($mnt\\); it is a mount point .* give a directory inside it \\(for example --out $mnt/dist\\)$" synth --out "$mnt"
umount "$mnt"

if [ "$fails" != 0 ]; then
  echo "os-errors: $fails case(s) failed" >&2
  exit 1
fi
echo "os-errors: all cases passed"
