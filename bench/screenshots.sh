#!/usr/bin/env bash
# Time to read a screenshot: each image of the test set (tests/browser/screens) checked by
# `redflag check`, one at a time, as a person's upload would be. Prints the median, 90th
# percentile and slowest wall time per form, and the time to refuse a 50-megapixel image and
# a damaged one. Usage: bench/screenshots.sh [SET_DIR] (default target/screens; made first
# when missing). Needs a release build with `--features ocr`.
set -euo pipefail
cd "$(dirname "$0")/.."
set_dir="${1:-target/screens}"
bin=target/release/redflag
cargo build --release --locked -p redflag-cli --features ocr >/dev/null
if [ ! -f "$set_dir/index.jsonl" ]; then
  (cd tests/browser && node screens/make.mjs --out "../../$set_dir" >/dev/null)
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
while IFS= read -r row; do
  path=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["path"])' "$row")
  form=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["form"])' "$row")
  start=$(date +%s%N)
  "$bin" check --json "$set_dir/$path" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo "$form $(( (end - start) / 1000000 ))" >>"$out"
done <"$set_dir/index.jsonl"
python3 - "$out" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
by = {}
for form, ms in rows:
    by.setdefault(form, []).append(int(ms))
by["all"] = [int(ms) for _, ms in rows]
print(f"{'form':<14} {'images':>6} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}")
for form in sorted(by, key=lambda f: (f == "all", f)):
    v = sorted(by[form])
    p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
    print(f"{form:<14} {len(v):>6} {statistics.median(v):>10.0f} {p90:>8} {v[-1]:>8}")
PY
# Refusals: a PNG header that declares 10,000 x 5,000 pixels, and a PNG cut short.
tmp=$(mktemp -d)
python3 - "$tmp" <<'PY'
import struct, sys, zlib
def png(w, h):
    ihdr = b"IHDR" + struct.pack(">II", w, h) + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
open(f"{sys.argv[1]}/bomb.png", "wb").write(png(10_000, 5_000))
open(f"{sys.argv[1]}/cut.png", "wb").write(png(1200, 2600))
PY
for f in bomb cut; do
  start=$(date +%s%N)
  msg=$("$bin" check "$tmp/$f.png" 2>&1 >/dev/null || true)
  end=$(date +%s%N)
  echo "$f.png: $(( (end - start) / 1000000 )) ms: $msg"
done
rm -rf "$tmp"
