#!/usr/bin/env bash
# Instructions per served check: `redflag serve` under callgrind, sent the peers bench's sample
# over loopback HTTP, one request at a time, each on a new connection (as bench/peers.sh sends
# them). Counts everything the server does for a request (reading the body, the JSON, the
# check, the answer, the log line) in user space; the kernel's part is not counted. The same
# count whatever else the machine does, so two builds can be compared run by run.
#
#   REDFLAG_BIN=target/release/redflag bash bench/serve-profile.sh
#
# Steps:
#   1. makes the sample (`peers_client.py sample`: 300 emails, 300 SMS) unless SAMPLE_DIR has one;
#   2. starts `redflag serve` under `valgrind --tool=callgrind` on a free loopback port;
#   3. for emails, then SMS: sends the sample WARM times (the regex engines' lazy caches fill
#      on first use), zeroes the counts (`callgrind_control -z`), sends it once more and
#      dumps (`callgrind_control -d`);
#   4. prints instructions per message and keeps the two profiles in OUT_DIR for
#      `callgrind_annotate` (`--inclusive=yes` shows the tree).
#
# Environment:
#   REDFLAG_BIN  the binary (default: cargo build --release --locked -p redflag-cli)
#   CORPUS       the corpus the sample is drawn from (default: ../shared/corpus)
#   SAMPLE_DIR   where the sample is, or is made (default: a temporary folder)
#   OUT_DIR      where the profiles go (default: a temporary folder)
#   WARM         warm-up passes before the measured one (default 3)
#
# Needs valgrind (apt-get install valgrind) and python3. Loopback only; nothing is fetched.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
client=$root/bench/peers_client.py
fail() { echo "serve-profile: $*" >&2; exit 1; }
command -v valgrind >/dev/null || fail "needs valgrind (apt-get install valgrind)"
command -v callgrind_control >/dev/null || fail "needs callgrind_control (valgrind)"

bin=${REDFLAG_BIN:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build -q --release --locked -p redflag-cli) || fail "cargo build failed"
  bin=$root/target/release/redflag
fi
[ -x "$bin" ] || fail "no redflag binary at $bin"
warm=${WARM:-3}
out=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/redflag-serve-profile.XXXXXX")}
mkdir -p "$out"
sample=${SAMPLE_DIR:-}
if [ -z "$sample" ] || [ ! -f "$sample/messages.jsonl" ]; then
  sample=${sample:-$out/sample}
  python3 "$client" sample --corpus "${CORPUS:-$root/../shared/corpus}" --out "$sample" >/dev/null \
    || fail "could not make the sample"
fi

read -r port < <(python3 "$client" freeports 1)
(cd "$out" && exec env -u REDFLAG_TOKEN valgrind --tool=callgrind \
  --callgrind-out-file="$out/callgrind.%p" "$bin" serve --addr "127.0.0.1:$port" --rate-limit 0 \
  >"$out/server.log" 2>&1) &
vpid=$!
trap 'kill "$vpid" 2>/dev/null || true' EXIT
python3 "$client" ping --system redflag --port "$port" --pid "$vpid" --timeout 300 >/dev/null \
  || fail "the server did not answer (see $out/server.log)"

send() { # kind pass
  python3 "$client" run --system redflag --kind "$1" --port "$port" --pid "$vpid" \
    --dir "$sample" --out "$out/runs.jsonl" --pass-name "$2" --concurrency 1 --timeout 600 \
    --deadline 3600 >/dev/null
}
for kind in email sms; do
  for i in $(seq "$warm"); do send "$kind" "warm$i"; done
  callgrind_control -z "$vpid" >/dev/null 2>&1
  send "$kind" measured
  callgrind_control -d "$vpid" >/dev/null 2>&1
  dump=$(ls -t "$out"/callgrind.*.* | head -1)
  mv "$dump" "$out/$kind.callgrind"
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$kind.callgrind")
  n=$(python3 -c "import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)['kind']==sys.argv[2]))" \
    "$sample/messages.jsonl" "$kind")
  echo "$kind: $n messages, $total instructions, $((total / n)) per message ($out/$kind.callgrind)"
done
