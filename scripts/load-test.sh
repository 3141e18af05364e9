#!/usr/bin/env bash
# Load test for `redflag serve`: a measurement, not a CI gate.
#
# Starts a release `redflag serve --rate-limit 0` on a free loopback port with a throw-away
# database, then
#   1. runs wrk (2 threads, 50 connections, 30 s, --latency) POSTing a realistic scam SMS as
#      JSON to /api/v1/check and prints p50/p90/p99 latency and requests/s;
#   2. sends 10,000 more checks (each wrk thread stops at its share, then wrk is ended; the
#      few answers already in flight are counted too, so it reports 10,000 and a handful)
#      and prints the server's VmRSS/VmHWM from /proc/PID/status before, between and after.
# Every response is checked: HTTP 200 and "verdict": "scam", else it counts as bad.
#
# Needs: wrk and curl (Debian: apt-get install -y wrk curl), cargo unless REDFLAG_BIN is set.
# Traffic goes to 127.0.0.1 only and both runs are bounded in time and count.
#
# Environment (all optional):
#   REDFLAG_BIN   server binary (default: builds and uses target/release/redflag)
#   DURATION      length of the timed run (default 30s)
#   THREADS       wrk threads (default 2)       CONNECTIONS  wrk connections (default 50)
#   TOTAL         checks in the capped run (default 10000)
#   FIXTURE       the SMS to send (default tests/fixtures/sms/scam-account-suspended-call.txt)
#   SENDER        its sender (default amz.security.notice@icloud.com)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
TOTAL=${TOTAL:-10000}
FIXTURE=${FIXTURE:-tests/fixtures/sms/scam-account-suspended-call.txt}
SENDER=${SENDER:-amz.security.notice@icloud.com}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "load-test: $tool is not installed (apt-get install -y $tool)" >&2; exit 2; }
done

if [ -n "${REDFLAG_BIN:-}" ]; then
  bin=$REDFLAG_BIN
else
  echo "building the release binary (cargo build --release --locked -p redflag-cli) ..."
  cargo build -q --release --locked -p redflag-cli
  bin=target/release/redflag
fi
[ -x "$bin" ] || { echo "load-test: no server binary at $bin" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/redflag-load.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A free loopback port: the first one nothing answers on.
port=""
for p in $(seq 18080 18180); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "load-test: no free port in 18080-18180" >&2; exit 2; }
base="http://127.0.0.1:$port"

"$bin" serve --addr "127.0.0.1:$port" --db "$work/redflag.sqlite" --token "load-test-$$" \
  --rate-limit 0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  curl -fsS -o /dev/null "$base/" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "load-test: the server exited:" >&2; cat "$work/server.log" >&2; exit 2; }
  sleep 0.1
done
curl -fsS -o /dev/null "$base/" || { echo "load-test: the server does not answer on $base" >&2; cat "$work/server.log" >&2; exit 2; }

# The request body: the fixture as a JSON string (escape backslashes, quotes, tabs, newlines).
text=$(tr -d '\r' <"$FIXTURE" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 }')
body="{\"text\": \"$text\", \"channel\": \"sms\", \"sender\": \"$SENDER\"}"
printf '%s' "$body" >"$work/body.json"

echo "server: $bin (pid $server_pid) on $base"
echo "request: POST /api/v1/check with $FIXTURE ($(wc -c <"$work/body.json") bytes of JSON)"
answer=$(curl -sS -H 'Content-Type: application/json' --data-binary @"$work/body.json" -w '\nHTTP %{http_code}' "$base/api/v1/check")
status=${answer##*HTTP }
echo "one check by hand: HTTP $status, $(printf '%s' "${answer%$'\n'HTTP*}" | grep -o '"verdict" *: *"[a-z]*"' | head -1), $(printf '%s' "$answer" | grep -o '"score" *: *[0-9]*' | head -1)"
[ "$status" = 200 ] || { echo "load-test: the API did not answer 200:" >&2; printf '%s\n' "$answer" >&2; exit 2; }

# wrk script: POST the body; count responses per thread, stop a thread at its share of the cap
# (0 = no cap), count any answer that is not 200 with verdict scam; print one RESULT line.
cat >"$work/check.lua" <<'LUA'
local f = assert(io.open(os.getenv("LOAD_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  cap = tonumber(args[1]) or 0
  responses = 0
  bad = 0
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or not body:find('"verdict"%s*:%s*"scam"') then
    bad = bad + 1
  end
  if cap > 0 and responses == cap then
    -- wrk's main thread sleeps for the whole -d even when every thread has stopped: leave a
    -- mark so the shell sends wrk SIGINT, which ends the run and prints the statistics.
    local mark = io.open(os.getenv("LOAD_DONE_DIR") .. "/" .. id, "w")
    mark:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total, wrong = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("responses")
    wrong = wrong + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT responses=%d bad=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f socket_errors=%d\n",
    total, wrong, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout))
end
LUA
export LOAD_BODY="$work/body.json" LOAD_DONE_DIR="$work/done"
mkdir -p "$LOAD_DONE_DIR"

mem() { # VmRSS and VmHWM of the server, in MiB
  awk '/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 } END { printf "VmRSS %.1f MiB, VmHWM %.1f MiB", rss / 1024, hwm / 1024 }' "/proc/$server_pid/status"
}
field() { # field NAME RESULT-LINE
  printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

mem_start=$(mem)
echo "memory at start: $mem_start"

echo
echo "=== run 1: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency ==="
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/check.lua" "$base/api/v1/check" | tee "$work/run1.txt"
r1=$(grep '^RESULT' "$work/run1.txt")
mem_after1=$(mem)
echo "memory after run 1: $mem_after1"

echo
per_thread=$(( (TOTAL + THREADS - 1) / THREADS ))
echo "=== run 2: $TOTAL checks (wrk -t$THREADS -c$CONNECTIONS, each thread stops after $per_thread) ==="
# -d is only a bound: the cap ends the run (10 minutes is far above what 10,000 checks take).
wrk -t"$THREADS" -c"$CONNECTIONS" -d600s --timeout 10s --latency -s "$work/check.lua" "$base/api/v1/check" -- "$per_thread" >"$work/run2.txt" &
wrk_pid=$!
while kill -0 "$wrk_pid" 2>/dev/null; do
  if [ "$(find "$LOAD_DONE_DIR" -type f | wc -l)" -ge "$THREADS" ]; then
    kill -INT "$wrk_pid" 2>/dev/null || true
    break
  fi
  sleep 0.1
done
wait "$wrk_pid" || true
cat "$work/run2.txt"
r2=$(grep '^RESULT' "$work/run2.txt")
mem_after2=$(mem)

kill -0 "$server_pid" 2>/dev/null || { echo "load-test: the server died during the run" >&2; cat "$work/server.log" >&2; exit 1; }

echo
echo "=== summary ==="
printf 'run 1 (%s, %s connections): %s checks/s; latency p50 %s ms, p90 %s ms, p99 %s ms, max %s ms; %s bad answers, %s socket errors\n' \
  "$DURATION" "$CONNECTIONS" "$(field rps "$r1")" "$(field p50_ms "$r1")" "$(field p90_ms "$r1")" "$(field p99_ms "$r1")" \
  "$(field max_ms "$r1")" "$(field bad "$r1")" "$(field socket_errors "$r1")"
printf 'run 2 (%s checks): %s answered in %s s, %s checks/s; p50 %s ms, p99 %s ms; %s bad answers, %s socket errors\n' \
  "$TOTAL" "$(field responses "$r2")" "$(field seconds "$r2")" "$(field rps "$r2")" "$(field p50_ms "$r2")" "$(field p99_ms "$r2")" \
  "$(field bad "$r2")" "$(field socket_errors "$r2")"
echo "server memory: at start $mem_start; after run 1 $mem_after1; after run 2 $mem_after2"
echo "($(nproc) cores; wrk runs on the same machine as the server, so it takes part of the CPU)"
