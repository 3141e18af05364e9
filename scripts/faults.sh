#!/usr/bin/env bash
# Fault tests for `redflag serve`, with a PASS/FAIL verdict.
#
# 1. The process-level tests in crates/redflag-cli/tests/faults.rs (cargo test), which spawn
#    the real binary:
#      - SIGKILL during 1,000 concurrent case writes, restart: every acknowledged case (201)
#        is readable, with its note; a clean restart keeps every case (SQLite; PostgreSQL
#        too when REDFLAG_TEST_POSTGRES_URL is set);
#      - SQLite full (`--sqlite-max-mib` plus ballast written by another program): 503
#        `store_unavailable`, then saves again once room is freed, without a restart;
#      - PostgreSQL database gone (connections refused and every backend terminated): 503
#        `store_unavailable`, then saves again once it takes connections, without a restart.
# 2. Only as root (skipped otherwise, or when FAULTS_SYSTEM=0):
#      - a real full disk: the SQLite store on a 3 MiB tmpfs filled up by a file; 503, then
#        the file is removed and the same server saves again; a restart keeps every case;
#      - PostgreSQL stopped: with REDFLAG_TEST_POSTGRES_URL set and a local cluster that
#        pg_ctlcluster manages (PG_CLUSTER, default "15 main"), the cluster is stopped while
#        the server runs (503), then started again (201 from the same server process).
#        The cluster is started again even when the check fails.
#
# Environment: REDFLAG_BIN (the binary for part 2; default: builds target/debug/redflag),
# FAULTS_CARGO_TEST=0 skips part 1, FAULTS_SYSTEM=0 skips part 2.
#
# Needs: cargo, curl (and psql for the PostgreSQL stop). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

PG_CLUSTER=${PG_CLUSTER:-15 main}
TOKEN="faults-script-token-0123456789abcdef"
fail=()
passed=()

step() { printf '\n=== %s ===\n' "$*"; }

if [ "${FAULTS_CARGO_TEST:-1}" = 0 ]; then
  step "process-level fault tests: skipped (FAULTS_CARGO_TEST=0)"
else
step "process-level fault tests (cargo test -p redflag-cli --test faults)"
if cargo test -q --locked -p redflag-cli --test faults -- --test-threads 1 --nocapture 2>&1 | tee target/faults-tests.log; then
  passed+=("kill -9 during writes, full SQLite store, PostgreSQL gone (cargo test)")
else
  fail+=("cargo test -p redflag-cli --test faults")
fi
grep -E '^kill -9|skipped on PostgreSQL' target/faults-tests.log || true
fi

if [ "$(id -u)" -ne 0 ] || [ "${FAULTS_SYSTEM:-1}" = 0 ]; then
  step "system faults: skipped (needs root, and FAULTS_SYSTEM unset or 1)"
else
  if [ -z "${REDFLAG_BIN:-}" ]; then cargo build -q --locked -p redflag-cli; fi
  bin=${REDFLAG_BIN:-target/debug/redflag}
  work=$(mktemp -d "${TMPDIR:-/tmp}/redflag-faults.XXXXXX")
  server_pid=""
  mounted=""
  stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
      kill -TERM "$server_pid" 2>/dev/null || true
      wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
  }
  cleanup() {
    stop_server
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null || true
    rm -rf "$work"
  }
  trap cleanup EXIT INT TERM

  port=""
  for p in $(seq 18190 18290); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  base="http://127.0.0.1:$port"
  start_server() { # start_server DB
    REDFLAG_TOKEN=$TOKEN "$bin" serve --addr "127.0.0.1:$port" --db "$1" --rate-limit 0 --no-model \
      >>"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 600); do
      curl -fsS -o /dev/null "$base/api/v1/health" 2>/dev/null && return 0
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    echo "the server did not start:" >&2
    tail -n 20 "$work/server.log" >&2
    return 1
  }
  # save NOTE: prints "STATUS BODY"
  save() {
    curl -sS -m 60 -o "$work/answer" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' \
      -d "{\"text\": \"Amazon: your account is locked. Call 1-888-555-0199 now.\", \"consent\": true, \"note\": \"$1\"}" \
      "$base/api/v1/cases" || echo 000
    printf ' %s\n' "$(cat "$work/answer" 2>/dev/null)"
  }
  id_of() { sed -n 's/.*"id":\([0-9]*\).*/\1/p'; }
  # expect_503 NOTE: the save is refused with 503 store_unavailable.
  expect_503() {
    local a
    a=$(save "$1")
    case "$a" in
      "503 "*'"code":"store_unavailable"'*) echo "  503 store_unavailable, as expected: ${a#503 }" ;;
      *) echo "  expected 503 store_unavailable, got: $a"; return 1 ;;
    esac
  }
  # save_when_back NOTE: retries for up to 60 s until 201; prints the id.
  save_when_back() {
    local a
    for _ in $(seq 120); do
      a=$(save "$1")
      case "$a" in
        "201 "*) printf '%s\n' "${a#201 }" | id_of; return 0 ;;
        "503 "*) sleep 0.5 ;;
        *) echo "unexpected answer: $a" >&2; return 1 ;;
      esac
    done
    return 1
  }
  readable() { # readable ID NOTE
    curl -fsS -m 30 -H "Authorization: Bearer $TOKEN" "$base/api/v1/cases/$1" | grep -q "\"note\":\"$2\""
  }

  step "a real full disk: SQLite on a 3 MiB tmpfs"
  disk_check() {
    mkdir -p "$work/disk"
    mount -t tmpfs -o size=3m tmpfs "$work/disk" || { echo "  cannot mount a tmpfs here: skipped"; return 2; }
    mounted="$work/disk"
    start_server "$work/disk/cases.db" || return 1
    local first second
    first=$(save_when_back before) || return 1
    echo "  saved case $first; filling the disk"
    dd if=/dev/zero of="$work/disk/ballast" bs=64k 2>/dev/null || true
    df -h "$work/disk" | tail -n 1 | sed 's/^/  /'
    expect_503 full-1 || return 1
    expect_503 full-2 || return 1
    echo "  freeing the disk (no restart)"
    rm -f "$work/disk/ballast"
    second=$(save_when_back after) || { echo "  no 201 after the disk was freed"; return 1; }
    echo "  saved case $second after the disk was freed"
    stop_server
    start_server "$work/disk/cases.db" || return 1
    readable "$first" before && readable "$second" after || { echo "  a case is missing after a restart ($first, $second)"; curl -sS -H "Authorization: Bearer $TOKEN" "$base/api/v1/cases"; tail -n 30 "$work/server.log"; return 1; }
    echo "  after a restart both cases are there"
    stop_server
    umount "$work/disk" && mounted=""
  }
  set +e
  disk_check
  rc=$?
  set -e
  stop_server
  case $rc in
    0) passed+=("full disk (tmpfs): 503 store_unavailable, recovered without restart, restart keeps cases") ;;
    2) ;;
    *) fail+=("full disk (tmpfs)") ;;
  esac

  if [ -n "${REDFLAG_TEST_POSTGRES_URL:-}" ] && command -v pg_ctlcluster >/dev/null \
    && pg_lsclusters -h 2>/dev/null | grep -q "^${PG_CLUSTER// / *} .*online"; then
    step "PostgreSQL stopped and started again (pg_ctlcluster $PG_CLUSTER)"
    # A database of its own, next to the test database.
    pg_db="${REDFLAG_TEST_POSTGRES_URL%/*}/redflag_faults_sh"
    psql -q "$REDFLAG_TEST_POSTGRES_URL" -c 'DROP DATABASE IF EXISTS redflag_faults_sh' -c 'CREATE DATABASE redflag_faults_sh'
    pg_check() {
      start_server "$pg_db" || return 1
      local first second
      first=$(save_when_back pg-before) || return 1
      echo "  saved case $first; stopping PostgreSQL"
      # shellcheck disable=SC2086
      pg_ctlcluster $PG_CLUSTER stop -m fast
      expect_503 pg-gone-1 || return 1
      expect_503 pg-gone-2 || return 1
      echo "  starting PostgreSQL again (no restart of the server)"
      # shellcheck disable=SC2086
      pg_ctlcluster $PG_CLUSTER start
      second=$(save_when_back pg-after) || { echo "  no 201 after PostgreSQL came back"; return 1; }
      echo "  saved case $second after PostgreSQL came back"
      readable "$first" pg-before && readable "$second" pg-after || { echo "  a case is missing"; return 1; }
      stop_server
    }
    set +e
    pg_check
    rc=$?
    set -e
    stop_server
    # Whatever happened, the cluster is left running.
    # shellcheck disable=SC2086
    pg_lsclusters -h | grep -q "^${PG_CLUSTER// / *} .*online" || pg_ctlcluster $PG_CLUSTER start
    for _ in $(seq 30); do psql -q "$REDFLAG_TEST_POSTGRES_URL" -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
    psql -q "$REDFLAG_TEST_POSTGRES_URL" -c 'DROP DATABASE IF EXISTS redflag_faults_sh' || true
    if [ $rc -eq 0 ]; then
      passed+=("PostgreSQL stopped: 503 store_unavailable, recovered without restart")
    else
      fail+=("PostgreSQL stopped and started")
    fi
  else
    step "PostgreSQL stop/start: skipped (needs REDFLAG_TEST_POSTGRES_URL and an online cluster '$PG_CLUSTER')"
  fi
fi

step "summary"
for p in "${passed[@]}"; do echo "  ok: $p"; done
if [ ${#fail[@]} -eq 0 ]; then
  echo "FAULTS: PASS"
  exit 0
fi
for f in "${fail[@]}"; do echo "  FAILED: $f"; done
echo "FAULTS: FAIL"
exit 1
