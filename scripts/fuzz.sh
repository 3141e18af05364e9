#!/usr/bin/env bash
# Fuzzes redflag's parsers and the whole analysis with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [--seconds N] [--runs N] [--jobs N] [--no-build | --build-only] [target...]
#
# With no target, runs every target, one after the other (one libFuzzer process at a time:
# the cheap targets first, the whole analysis last), or N side by side with `--jobs N` (each
# report is printed whole, in the targets' order). `--seconds N` stops each target after
# N seconds (-max_total_time), `--runs N` after N executions (-runs); with neither, 60
# seconds each. `--no-build` runs the targets as last built (for a campaign in a tree others
# are editing); `--build-only` builds them (installing cargo-fuzz if needed) and runs none
# (CI builds them in the background, then runs them later). Targets: see fuzz/Cargo.toml
# and docs/fuzzing.md.
#
# The corpus of each target is fuzz/corpus/<target> (git-ignored). Before a run it is
# seeded from the repository's fixtures (tests/fixtures/**, crates/*/tests/**), from the
# hand-written seeds in fuzz/seeds/<target>/, and, when present, from ../shared/corpus
# (read only). Seeds are only ever copied into fuzz/corpus, never into the repository.
#
# Prints per target: executions, exec/s, seconds, crashes, timeouts, OOMs; exits non-zero
# if any target crashed, timed out (over 1 s for one input) or ran out of memory (2 GB),
# and prints the artefact's path (fuzz/artifacts/<target>/...). Reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none -a <target> <artefact>
#
# Environment: FUZZ_SHARED_CORPUS (default ../shared/corpus), FUZZ_SANITIZER (default
# none), FUZZ_MAX_LEN (largest input, bytes; default per target, see max_len below),
# FUZZ_FAST=1 (build and run without libFuzzer's comparison tracing, into fuzz/target-fast:
# two to five times the executions per second, for long campaigns; see docs/fuzzing.md),
# FUZZ_LOG_TAG (log name suffix: fuzz/artifacts/logs/<target><tag>.log, so a long campaign
# keeps its own log), FUZZ_EXTRA (more libFuzzer flags).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ="$ROOT/fuzz"
SHARED="${FUZZ_SHARED_CORPUS:-$ROOT/../shared/corpus}"
# No sanitizer: the code under test is safe Rust (`#![forbid(unsafe_code)]` in every redflag
# crate), so AddressSanitizer would find little that a panic does not, and it makes these
# targets several times slower (its allocator is the cost, and they allocate a lot). Debug
# assertions stay on (`-a`), as does overflow checking with them. Set FUZZ_SANITIZER=address
# to use ASan anyway (it also covers the C++ of the fastText model in analysis/api_json).
SANITIZER="${FUZZ_SANITIZER:-none}"
# The cargo-fuzz flags need nightly; RUSTC_BOOTSTRAP lets the stable toolchain take them.
export RUSTC_BOOTSTRAP=1

# Cheap targets first, the whole analysis last.
ALL_TARGETS=(authres money_orders order_csv phones urls messenger mbox email html api_json analysis)

# Largest input per target: what the parser meets in practice, or a little more.
max_len() {
    if [ -n "${FUZZ_MAX_LEN:-}" ]; then echo "$FUZZ_MAX_LEN"; return; fi
    case "$1" in
        authres) echo 16384 ;;          # one header value
        money_orders | phones | urls) echo 65536 ;;
        order_csv) echo 262144 ;;       # a few thousand orders
        messenger) echo 262144 ;;
        html) echo 262144 ;;
        email | mbox | analysis) echo 1048576 ;;
        api_json) echo 1048576 ;;
        *) echo 65536 ;;
    esac
}

seconds=""
runs=""
build=1
jobs=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --seconds=*) seconds="${1#*=}"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --runs=*) runs="${1#*=}"; shift ;;
        --jobs) jobs="$2"; shift 2 ;;
        --jobs=*) jobs="${1#*=}"; shift ;;
        --no-build) build=0; shift ;;
        --build-only) build=only; shift ;;
        -h | --help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "unknown option: $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
if [ ${#targets[@]} -eq 0 ]; then
    targets=("${ALL_TARGETS[@]}")
fi
case "$jobs" in
    '' | *[!0-9]* | 0) echo "--jobs needs a number of at least 1, not '$jobs'" >&2; exit 2 ;;
esac
if [ -z "$seconds" ] && [ -z "$runs" ]; then
    seconds=60
fi
for t in "${targets[@]}"; do
    if [ ! -f "$FUZZ/fuzz_targets/$t.rs" ]; then
        echo "unknown target: $t (have: ${ALL_TARGETS[*]})" >&2
        exit 2
    fi
done

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --version 0.13.2 --locked
fi

# Comparison tracing (`-sanitizer-coverage-trace-compares`) lets libFuzzer learn the
# constants a parser compares its input with; it costs most of the time of a run here (the
# seeds already carry the keywords and structure of real messages), so long campaigns can
# leave it out. That build has a target directory of its own, so neither build undoes the
# other.
TARGET_DIR="$FUZZ/target"
BUILD_FLAGS=()
if [ "${FUZZ_FAST:-0}" = 1 ]; then
    TARGET_DIR="$FUZZ/target-fast"
    BUILD_FLAGS=(--no-trace-compares --target-dir "$TARGET_DIR")
fi

cd "$ROOT"
# Built once here; each target then runs its binary directly (`cargo fuzz run` would check
# the build again before every target).
if [ "$build" != 0 ]; then
    echo "== building the fuzz targets (sanitizer: $SANITIZER, debug assertions on)"
    cargo fuzz build --sanitizer "$SANITIZER" -a "${BUILD_FLAGS[@]}"
fi
if [ "$build" = only ]; then
    exit 0
fi
BIN_DIR="$TARGET_DIR/$(rustc -vV | sed -n 's/^host: //p')/release"

# Copies files (paths on stdin, one a line) into a corpus dir under their content hashes
# (so reruns add nothing twice), hashing them in batches rather than one process a file.
add_seeds() {
    local dir="$1" h f
    tr '\n' '\0' | xargs -0 -r sha1sum | while read -r h f; do
        [ -e "$dir/$h" ] || cp "$f" "$dir/$h"
    done
}

# Every message-like file of the repository and, when present, of the shared corpus.
message_files() {
    find "$ROOT/tests/fixtures" "$ROOT"/crates/*/tests -type f ! -name '*.rs' 2>/dev/null
    if [ -d "$SHARED" ]; then
        find "$SHARED" -type f ! -name 'index.jsonl' ! -name 'README.md'
    fi
}

# The Authentication-Results values of every email (unfolded), one file each.
authres_values() {
    local out="$1" i=0 f
    while IFS= read -r f; do
        awk 'BEGIN{IGNORECASE=1; on=0; v=""}
             /^$|^\r$/ {exit}
             on && /^[ \t]/ {v = v " " $0; next}
             on {print v; on=0; v=""}
             /^(ARC-)?Authentication-Results:/ {on=1; sub(/^[^:]*:[ \t]*/, ""); v=$0}
             END{if (on) print v}' "$f" 2>/dev/null
    done | while IFS= read -r line; do
        i=$((i + 1))
        printf '%s' "$line" >"$out/ar-$i"
    done
}

seed() {
    local t="$1" dir="$FUZZ/corpus/$1" f
    mkdir -p "$dir"
    if [ -d "$FUZZ/seeds/$t" ]; then
        find "$FUZZ/seeds/$t" -maxdepth 1 -type f | add_seeds "$dir"
    fi
    case "$t" in
        authres)
            local tmp
            tmp=$(mktemp -d)
            message_files | grep -E '\.(eml|mbox)$|/maildir/|/(cur|new)/' | authres_values "$tmp"
            find "$tmp" -type f | add_seeds "$dir"
            rm -rf "$tmp"
            ;;
        messenger)
            message_files | grep -E '\.json$' | add_seeds "$dir"
            ;;
        api_json)
            # Every fixture as a JSON body (text, email, with a sender or orders), when
            # python3 is there; the hand-written seeds otherwise.
            if command -v python3 >/dev/null; then
                find "$ROOT/tests/fixtures" -type f ! -name '*.toml' ! -name '*.md' |
                    python3 -c '
import base64, hashlib, json, os, sys
out = sys.argv[1]
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    raw = open(path, "rb").read()
    bodies = []
    try:
        text = raw.decode("utf-8")
        key = "email" if path.endswith((".eml", ".mbox")) else "text"
        bodies.append({key: text})
        bodies.append({"text": text, "sender": "+18885550199", "order_numbers": "112-1234567-1234567"})
    except UnicodeDecodeError:
        pass
    bodies.append({"email_base64": base64.b64encode(raw).decode()})
    for b in bodies:
        data = json.dumps(b).encode()
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
' "$dir"
            fi
            ;;
        order_csv)
            find "$ROOT/tests/fixtures" "$ROOT/crates/redflag-rules/tests" -type f ! -name '*.rs' |
                add_seeds "$dir"
            ;;
        *)
            message_files | add_seeds "$dir"
            ;;
    esac
}

# How a fuzz target logs a mail-parser panic that redflag_message caught (see
# allow_caught_parser_panics in fuzz/src/lib.rs): handled, not a crash, but counted.
CAUGHT_MARK='redflag-fuzz: caught mail-parser panic'

# Reads one libFuzzer log; prints "execs exec/s crashes timeouts ooms artefact".
summarise() {
    local log="$1"
    local execs eps art crashes=0 timeouts=0 ooms=0
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$' || true)
    eps=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -n1 | grep -o '[0-9]*$' || true)
    art=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n1 | sed 's/Test unit written to //' || true)
    case "$(basename "${art:-none}")" in
        crash-* | leak-*) crashes=1 ;;
        timeout-*) timeouts=1 ;;
        oom-*) ooms=1 ;;
        slow-unit-*) ;;
    esac
    # A crash libFuzzer could not write a unit for still counts.
    # (A caught mail-parser panic is logged with "panicked at" too: not a crash.)
    if [ -z "$art" ] && grep -v "$CAUGHT_MARK" "$log" |
        grep -qE 'ERROR: libFuzzer: (deadly signal|fuzz target exited)|panicked at'; then
        crashes=1
    fi
    echo "${execs:-0} ${eps:-0} $crashes $timeouts $ooms ${art:--}"
}

# Seeds one target and runs it. Prints its report to stdout and its summary line (the
# table row, then 1 if it failed or 0) to the file $2.
run_target() {
    local t="$1" out="$2" flags log start rc secs execs eps crashes timeouts ooms art caught line
    echo "== seeding fuzz/corpus/$t"
    seed "$t"
    echo "   $(find "$FUZZ/corpus/$t" -type f | wc -l) inputs"
    flags=(-timeout=1 -rss_limit_mb=2048 "-max_len=$(max_len "$t")" -print_final_stats=1)
    [ -n "$seconds" ] && flags+=("-max_total_time=$seconds")
    [ -n "$runs" ] && flags+=("-runs=$runs")
    # shellcheck disable=SC2206
    [ -n "${FUZZ_EXTRA:-}" ] && flags+=($FUZZ_EXTRA)
    log="$FUZZ/artifacts/logs/$t${FUZZ_LOG_TAG:-}.log"
    echo "== fuzzing $t: ${flags[*]} (log: ${log#"$ROOT"/})"
    start=$(date +%s)
    set +e
    mkdir -p "$FUZZ/artifacts/$t"
    "$BIN_DIR/$t" "-artifact_prefix=$FUZZ/artifacts/$t/" "${flags[@]}" "$FUZZ/corpus/$t" >"$log" 2>&1
    rc=$?
    set -e
    secs=$(($(date +%s) - start))
    read -r execs eps crashes timeouts ooms art < <(summarise "$log")
    caught=$(grep -c "$CAUGHT_MARK" "$log" || true)
    if [ "$rc" -ne 0 ] && [ "$crashes$timeouts$ooms" = "000" ]; then
        crashes=1 # failed some other way (build, startup): see the log
    fi
    line=$(printf '%-13s %12s %9s %6s %8s %9s %5s' "$t" "$execs" "$eps" "$secs" "$crashes" "$timeouts" "$ooms")
    echo "   executions $execs, exec/s $eps, ${secs}s, crashes $crashes, timeouts $timeouts, OOMs $ooms, caught mail-parser panics ${caught:-0}"
    if [ "$crashes$timeouts$ooms" != "000" ]; then
        echo "   FAILED: artefact ${art}; log ${log}"
        grep -m1 -E 'panicked at|ERROR: libFuzzer' -A3 "$log" | sed 's/^/   | /' || true
        printf '%s\n1\n' "$line" >"$out"
    else
        printf '%s\n0\n' "$line" >"$out"
    fi
}

mkdir -p "$FUZZ/artifacts/logs"
# Each target's report and summary line, kept apart while targets run side by side and
# printed in the targets' order.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Runs target number $1 in the background: its report and summary into the work dir, then
# its exit status (the sign it is done, however it ended).
start_target() {
    (
        set +e
        (set -e; run_target "${targets[$1]}" "$work/$1.summary") >"$work/$1.out" 2>&1
        echo "$?" >"$work/$1.rc"
    ) &
}
next=0
printed=0
while [ "$printed" -lt "${#targets[@]}" ]; do
    done_count=$(find "$work" -name '*.rc' | wc -l)
    while [ $((next - done_count)) -lt "$jobs" ] && [ "$next" -lt "${#targets[@]}" ]; do
        start_target "$next"
        next=$((next + 1))
    done
    # Wait for any one target; then print, in order, every report that is complete.
    wait -n || true
    while [ "$printed" -lt "$next" ] && [ -s "$work/$printed.rc" ]; do
        cat "$work/$printed.out"
        if [ ! -s "$work/$printed.summary" ]; then
            # Stopped before its summary (seeding failed, say): a failure, with its output.
            printf '%-13s %s\n1\n' "${targets[$printed]}" "stopped with exit $(cat "$work/$printed.rc")" \
                >"$work/$printed.summary"
        fi
        printed=$((printed + 1))
    done
done
wait

failed=0
echo
printf '%-13s %12s %9s %6s %8s %9s %5s\n' target executions exec/s secs crashes timeouts ooms
for i in "${!targets[@]}"; do
    { read -r line; read -r bad; } <"$work/$i.summary"
    echo "$line"
    [ "$bad" = 1 ] && failed=1
done
exit "$failed"
