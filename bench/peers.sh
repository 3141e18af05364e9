#!/usr/bin/env bash
# CPU cost per message of redflag compared with Rspamd and SpamAssassin, in one run, on the
# same messages. See docs/peers.md.
#
# What it does:
#   1. installs Rspamd and SpamAssassin (Debian packages rspamd, spamassassin, spamd, spamc)
#      when missing, without letting the packages start their system services;
#   2. picks a FIXED sample from the corpus (default 300 emails and 300 SMS; read from
#      $CORPUS at run time, never copied into the repository) and writes the messages to a
#      mktemp directory: every email as the exact bytes all three systems get, every SMS also
#      wrapped as a minimal RFC 5322 mail for the peers (redflag gets it as an SMS);
#   3. starts, under that directory and on 127.0.0.1 only: a DNS sink (answers REFUSED and
#      logs every query: it must stay empty), Rspamd (2 normal workers, every network module
#      off), spamd (-L local tests only, 2 children, no Bayes, no Razor/Pyzor/DCC/RBL) and
#      `redflag serve --rate-limit 0`;
#   4. for each system and kind (email, SMS): one warm-up pass (discarded), then RUNS measured
#      passes with CONCURRENCY clients; the server's CPU is utime+stime (+ reaped children)
#      of its whole process tree from /proc/<pid>/stat before and after each pass. redflag is
#      measured on the same server through /api/v1/check (the full report), /api/v1/assess
#      (verdict, score and findings only: what the peers answer) and, for emails,
#      /api/v1/check/raw (the mail servers' endpoint: the raw email, as the peers get it, and
#      a small answer; it reads emails only); then the transport's floor,
#      measured the same way: redflag's own request with a channel it does not know (read and
#      parsed, refused with 422 before any check), GET /api/v1/health, and Rspamd's GET /ping;
#   5. runs `redflag eval` over the same sample as one process (start-up included);
#   6. prints the table (CPU ms/message, messages/s, ratios to redflag, answers and errors,
#      the floor and the ratio it bounds,
#      a detection cross-check) and writes it as Markdown to bench/results/peers-<date>.md.
# Exit 0 when the run completed (the ratios are reported, not gated), 2 when it could not run.
#
# Environment (all optional):
#   CORPUS         the corpus folder (default ../shared/corpus from the repository root)
#   REDFLAG_BIN    redflag binary (default: cargo build --release --locked -p redflag-cli and
#                  target/release/redflag)
#   EMAILS, SMS    sample sizes (default 300 each; the sample is the first N of a fixed list)
#   RUNS           measured passes per system and kind (default 2)
#   CONCURRENCY    concurrent clients (default 2)
#   REPEAT_FAST    times the sample is sent in one measured pass to redflag and Rspamd, so
#                  that a pass is well over the 10 ms clock tick (default 5; spamd: 1)
#   BATCH_SECONDS  bound on one pass (default 900); every message also has a 60 s timeout
#   NO_INSTALL=1   do not install missing packages (exit 2 instead)
#   KEEP_TMP=1     keep the temporary directory (configs, logs, answers) for inspection
#   RESULTS_DIR    where the Markdown goes (default bench/results)
set -Eeuo pipefail
# Paths given in the environment are relative to where the script was started from.
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -z "${CORPUS:-}" ] || CORPUS=$(abs "$CORPUS")
[ -z "${REDFLAG_BIN:-}" ] || REDFLAG_BIN=$(abs "$REDFLAG_BIN")
[ -z "${RESULTS_DIR:-}" ] || RESULTS_DIR=$(abs "$RESULTS_DIR")
cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
client=$bench/peers_client.py
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

CORPUS=${CORPUS:-$root/../shared/corpus}
EMAILS=${EMAILS:-300}
SMS=${SMS:-300}
RUNS=${RUNS:-2}
CONCURRENCY=${CONCURRENCY:-2}
REPEAT_FAST=${REPEAT_FAST:-5}
BATCH_SECONDS=${BATCH_SECONDS:-900}
RESULTS_DIR=${RESULTS_DIR:-$bench/results}

fail() { echo "peers: $*" >&2; exit 2; }
trap 'echo "peers: a step failed (line $LINENO); no result" >&2; exit 2' ERR

command -v python3 >/dev/null || fail "python3 is needed"
[ -f "$CORPUS/index.jsonl" ] || fail "no corpus at $CORPUS (set CORPUS=/path/to/corpus; it needs index.jsonl, see its README.md)"
CORPUS=$(cd "$CORPUS" && pwd)

# ---------------------------------------------------------------- packages
need=()
command -v rspamd >/dev/null || need+=(rspamd)
[ -x /usr/sbin/spamd ] || command -v spamd >/dev/null || need+=(spamd)
[ -d /usr/share/spamassassin ] || need+=(spamassassin)
command -v spamc >/dev/null || need+=(spamc)
if [ ${#need[@]} -gt 0 ]; then
  [ -z "${NO_INSTALL:-}" ] || fail "missing: ${need[*]} (apt-get install -y --no-install-recommends rspamd spamassassin spamd spamc)"
  [ "$(id -u)" = 0 ] || fail "missing: ${need[*]}; install them as root: apt-get install -y --no-install-recommends rspamd spamassassin spamd spamc"
  command -v apt-get >/dev/null || fail "missing: ${need[*]}, and no apt-get (this script expects Debian bookworm)"
  echo "installing ${need[*]} (apt-get) ..."
  # Keep the packages from starting their system services (a systemd host would start
  # rspamd and spamd with network checks on): a temporary policy-rc.d says no.
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  rc=0
  { timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 \
      apt-get install -y -qq --no-install-recommends "${need[@]}"; } >/dev/null 2>&1 || rc=$?
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || fail "apt-get install ${need[*]} failed (exit $rc)"
fi
spamd_bin=$(command -v spamd || echo /usr/sbin/spamd)

# ---------------------------------------------------------------- redflag
if [ -n "${REDFLAG_BIN:-}" ]; then
  bin=$REDFLAG_BIN
else
  echo "building the release binary (cargo build --release --locked -p redflag-cli) ..."
  cargo build -q --release --locked -p redflag-cli || fail "cargo build failed"
  bin=$root/target/release/redflag
fi
[ -x "$bin" ] || fail "no redflag binary at $bin"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# ---------------------------------------------------------------- temp dir and cleanup
work=$(mktemp -d "${TMPDIR:-/tmp}/redflag-peers.XXXXXX")
# spamd drops to `nobody` when started as root: it must reach its config and home.
chmod 711 "$work"
pids=()  # name:pid of everything started, stopped in reverse order
descendants() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
alive() {  # running (a zombie waiting for its parent counts as gone)
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}
cleanup() {
  local rc=$? i pid all=()
  trap - ERR
  set +e
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[$i]#*:}
    all+=("$pid" $(descendants "$pid"))
    kill -TERM "$pid" 2>/dev/null || true  # the server stops its own workers
  done
  for pid in "${all[@]}"; do
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
  return "$rc"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# ---------------------------------------------------------------- the sample
python3 "$client" sample --corpus "$CORPUS" --out "$work/sample" --emails "$EMAILS" --sms "$SMS"

read -r port_redflag port_rspamd port_spamd < <(python3 "$client" freeports 3)

# ---------------------------------------------------------------- DNS sink
python3 "$client" dnssink --port-file "$work/dns.port" --log "$work/dns.log" &
pids+=("dnssink:$!")
for _ in $(seq 50); do [ -s "$work/dns.port" ] && break; sleep 0.1; done
[ -s "$work/dns.port" ] || fail "the DNS sink did not start"
dns_port=$(cat "$work/dns.port")

# ---------------------------------------------------------------- Rspamd
r=$work/rspamd
mkdir -p "$r/local/local.d" "$r/local/override.d" "$r/run" "$r/db" "$r/log"
# The packaged configuration (/etc/rspamd) is used as is, through its own local.d /
# override.d hooks pointed at $r/local; only the top level is ours: one `normal` worker
# group (2 processes) on our port, no controller/proxy/fuzzy workers, and no Bayes
# classifier (it needs Redis and training; SpamAssassin runs without Bayes too).
cat >"$r/rspamd.conf" <<EOF
lua = "\$RULESDIR/rspamd.lua"
.include "\$CONFDIR/metrics.conf"
.include "\$CONFDIR/actions.conf"
.include "\$CONFDIR/groups.conf"
.include "\$CONFDIR/composites.conf"
.include "\$CONFDIR/modules.conf"
.include "\$CONFDIR/settings.conf"
modules {
  path = "\${PLUGINSDIR}";
  fallback_path = "\${SHAREDIR}/lua";
}
options {
  pidfile = "\$RUNDIR/rspamd.pid";
  .include "\$CONFDIR/options.inc"
  .include(try=true; priority=1,duplicate=merge) "\$LOCAL_CONFDIR/local.d/options.inc"
}
logging {
  type = "file";
  filename = "\$LOGDIR/rspamd.log";
  .include "\$CONFDIR/logging.inc"
}
worker "normal" {
  bind_socket = "127.0.0.1:$port_rspamd";
  count = 2;
  .include "\$CONFDIR/worker-normal.inc"
}
EOF
# Any DNS lookup goes to the sink (and shows up in the report).
cat >"$r/local/local.d/options.inc" <<EOF
dns {
  nameserver = ["127.0.0.1:$dns_port"];
  timeout = 1s;
  retransmits = 1;
}
EOF
# Modules that query the network (DNS lists, SPF/DKIM/DMARC/ARC, ASN, fuzzy hashes, DCC,
# Razor/Pyzor via external_services, reverse DNS in once_received), need Redis (neural,
# ratelimit, greylist, replies, reputation, history, url_redirector...), download maps
# (multimap's freemail lists, rspamd_update), or depend on those (whitelist: SPF/DKIM/DMARC
# results) are off.
for m in rbl surbl emails spf dkim dmarc arc asn fuzzy_check dcc external_services antivirus \
  once_received whitelist multimap rspamd_update mx_check bimi p0f \
  neural ratelimit greylist replies reputation history_redis url_redirector spamtrap clustering \
  dynamic_conf fuzzy_collect bayes_expiry \
  dkim_signing metadata_exporter elastic clickhouse metric_exporter maps_stats aws_s3 spamassassin; do
  echo 'enabled = false;' >"$r/local/local.d/$m.conf"
done
# hfilter: keep the local checks (URLs, recipients); its HELO/hostname/From-domain checks
# resolve names (and without an MTA in front there is no HELO or client hostname).
printf 'helo_enabled = false;\nhostname_enabled = false;\nfrom_enabled = false;\n' >"$r/local/local.d/hfilter.conf"
# phishing: keep the local URL checks, not the PhishTank (DNS) or OpenPhish (feed) lookups.
printf 'phishtank_enabled = false;\nopenphish_enabled = false;\n' >"$r/local/local.d/phishing.conf"
# Maps with a remote URL first: the packaged local copy only.
cat >"$r/local/override.d/phishing.conf" <<'EOF'
exceptions = {
  REDIRECTOR_FALSE = ["${CONFDIR}/maps.d/redirectors.inc"];
}
EOF
echo 'file = ["${CONFDIR}/maps.d/mime_types.inc"];' >"$r/local/override.d/mime_types.conf"
echo 'source { url = ["${CONFDIR}/maps.d/mid.inc"]; }' >"$r/local/override.d/mid.conf"
rspamd_vars=(--var="CONFDIR=/etc/rspamd" --var="LOCAL_CONFDIR=$r/local" --var="RUNDIR=$r/run"
  --var="DBDIR=$r/db" --var="LOGDIR=$r/log")
insecure=()
[ "$(id -u)" != 0 ] || insecure=(-i)  # root: run the workers as root too (all under $work)
rspamadm "${rspamd_vars[@]}" configdump -c "$r/rspamd.conf" -m >"$r/modules.txt" 2>"$r/configdump.err" || true
rspamd -f "${insecure[@]}" -c "$r/rspamd.conf" "${rspamd_vars[@]}" >"$r/stdout.log" 2>&1 &
pids+=("rspamd:$!")
pid_rspamd=$!

# ---------------------------------------------------------------- SpamAssassin (spamd)
s=$work/spamassassin
mkdir -p "$s/site" "$s/home"
# The packaged plugin list (*.pre) and rules (/usr/share/spamassassin or sa-update's), with
# a local.cf that keeps everything local.
cp /etc/spamassassin/*.pre "$s/site/"
cat >"$s/site/local.cf" <<EOF
# Offline: local tests only (spamd -L as well), no network, no learning.
dns_available no
dns_server 127.0.0.1:$dns_port
skip_rbl_checks 1
use_bayes 0
bayes_auto_learn 0
ifplugin Mail::SpamAssassin::Plugin::Razor2
use_razor2 0
endif
ifplugin Mail::SpamAssassin::Plugin::Pyzor
use_pyzor 0
endif
ifplugin Mail::SpamAssassin::Plugin::DCC
use_dcc 0
endif
ifplugin Mail::SpamAssassin::Plugin::AWL
use_auto_whitelist 0
endif
ifplugin Mail::SpamAssassin::Plugin::TxRep
use_txrep 0
endif
EOF
chmod -R a+rX "$s/site"
chmod 1777 "$s/home"
spamassassin --siteconfigpath="$s/site" -L --lint >"$s/lint.log" 2>&1 || fail "SpamAssassin's configuration does not lint: $(head -5 "$s/lint.log")"
sa_rules=$(spamassassin --siteconfigpath="$s/site" -L -D config </dev/null 2>&1 >/dev/null |
  sed -n 's/.*using "\(.*\)" for default rules dir.*/\1/p' | head -1) || true
asuser=()
[ "$(id -u)" != 0 ] || asuser=(-u nobody)  # spamd will not run as root
"$spamd_bin" -L -x "${asuser[@]}" --listen="127.0.0.1:$port_spamd" -A 127.0.0.1 \
  --siteconfigpath="$s/site" --helper-home-dir="$s/home" \
  --max-children=2 --min-children=2 --min-spare=1 --max-spare=2 --max-conn-per-child=100000 \
  -s "$s/spamd.log" >"$s/stdout.log" 2>&1 &
pids+=("spamd:$!")
pid_spamd=$!

# ---------------------------------------------------------------- redflag
(cd "$work" && exec env -u REDFLAG_TOKEN "$bin" serve --addr "127.0.0.1:$port_redflag" --rate-limit 0 \
  >"$work/redflag.log" 2>&1) &
pids+=("redflag:$!")
pid_redflag=$!

# ---------------------------------------------------------------- ready, then idle
echo "starting the servers (Rspamd compiles its regular expressions first) ..."
python3 "$client" ping --system redflag --port "$port_redflag" --pid "$pid_redflag" --timeout 60
python3 "$client" ping --system rspamd --port "$port_rspamd" --pid "$pid_rspamd" --timeout 180
python3 "$client" ping --system spamd --port "$port_spamd" --pid "$pid_spamd" --timeout 180
for sp in redflag:$pid_redflag rspamd:$pid_rspamd spamd:$pid_spamd; do
  timeout 300 python3 "$client" waitidle --name "${sp%%:*}" --pid "${sp#*:}" --timeout 240
done

# ---------------------------------------------------------------- the passes
results=$work/results.jsonl
clk_tck=$(getconf CLK_TCK)
port_of() { case $1 in redflag*) echo "$port_redflag" ;; rspamd*) echo "$port_rspamd" ;; spamd) echo "$port_spamd" ;; esac; }
pid_of() { case $1 in redflag*) echo "$pid_redflag" ;; rspamd*) echo "$pid_rspamd" ;; spamd) echo "$pid_spamd" ;; esac; }
pass() {  # system kind pass-name repeat
  timeout $((BATCH_SECONDS + 120)) python3 "$client" run --system "$1" --kind "$2" \
    --port "$(port_of "$1")" --pid "$(pid_of "$1")" --dir "$work/sample" --out "$results" \
    --pass-name "$3" --repeat "$4" --concurrency "$CONCURRENCY" --timeout 60 \
    --deadline "$BATCH_SECONDS" --clk-tck "$clk_tck"
}
repeat_of() { if [ "$1" = spamd ]; then echo 1; else echo "$REPEAT_FAST"; fi; }

# The checks, then the transport's floor (requests that carry no check: the same request
# refused before the check, and each server's ping), measured the same way.
systems=(redflag redflag-assess redflag-raw rspamd spamd redflag-floor redflag-ping rspamd-ping)
# The mail servers' endpoint reads an email; an SMS goes to redflag as an SMS only.
applies() { [ "$1" != redflag-raw ] || [ "$2" = email ]; }
echo "warm-up (discarded) ..."
for kind in email sms; do
  for sys in "${systems[@]}"; do applies "$sys" "$kind" && pass "$sys" "$kind" warmup 1; done
done
for n in $(seq "$RUNS"); do
  echo "measured pass $n of $RUNS ..."
  for kind in email sms; do
    for sys in "${systems[@]}"; do
      applies "$sys" "$kind" && pass "$sys" "$kind" "run$n" "$(repeat_of "$sys")"
    done
  done
done
echo "redflag eval as one process ..."
for kind in email sms; do
  timeout 900 python3 "$client" cli --bin "$bin" --kind "$kind" --dir "$work/sample" --out "$results" --timeout 600
done

# ---------------------------------------------------------------- report
for sp in redflag:$pid_redflag rspamd:$pid_rspamd spamd:$pid_spamd; do
  kill -0 "${sp#*:}" 2>/dev/null || fail "${sp%%:*} died during the run"
done
dns_queries=$(wc -l <"$work/dns.log" 2>/dev/null || echo 0)
rspamd_dns_tasks=$(grep -c 'dns req: [1-9]' "$r/log/rspamd.log" || true)
date_day=$(date -u +%Y-%m-%d)
mkdir -p "$RESULTS_DIR"
md=$RESULTS_DIR/peers-$date_day.md
export PEERS_DATE PEERS_NPROC PEERS_CPU PEERS_LOAD PEERS_CLK PEERS_RFV PEERS_BIN PEERS_RSV PEERS_SAV \
  PEERS_SARULES PEERS_RUNS PEERS_CONC PEERS_DNS PEERS_REPEAT PEERS_ELAPSED PEERS_RDNS
PEERS_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
PEERS_NPROC=$(nproc)
PEERS_CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
PEERS_LOAD="$load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
PEERS_CLK=$clk_tck
PEERS_RFV=$("$bin" --version 2>/dev/null) || PEERS_RFV="?"
PEERS_BIN=$bin
PEERS_RSV="$(rspamd --version 2>/dev/null | awk '/version/ && !d {print $NF; d = 1}') (Debian $(dpkg-query -W -f='${Version}' rspamd 2>/dev/null || echo '?'))"
PEERS_SAV="$("$spamd_bin" --version 2>/dev/null | awk '/Server version/ && !d {print $NF; d = 1}') (Debian $(dpkg-query -W -f='${Version}' spamassassin 2>/dev/null || echo '?'), $(perl -e 'printf "Perl %vd", $^V'))"
PEERS_SARULES=${sa_rules:-?}
PEERS_RUNS=$RUNS
PEERS_CONC=$CONCURRENCY
PEERS_DNS=$dns_queries
PEERS_RDNS=$rspamd_dns_tasks
PEERS_REPEAT=$REPEAT_FAST
PEERS_ELAPSED=$(($(date +%s) - started))
python3 - "$work/meta.json" <<'EOF'
import json, os, sys
e = os.environ
json.dump({
    "date": e["PEERS_DATE"], "nproc": e["PEERS_NPROC"], "cpu_model": e["PEERS_CPU"],
    "loadavg": e["PEERS_LOAD"], "clk_tck": e["PEERS_CLK"], "redflag_version": e["PEERS_RFV"],
    "redflag_bin": e["PEERS_BIN"], "rspamd_version": e["PEERS_RSV"], "sa_version": e["PEERS_SAV"],
    "sa_rules": e["PEERS_SARULES"], "runs": int(e["PEERS_RUNS"]), "concurrency": int(e["PEERS_CONC"]),
    "dns_queries": int(e["PEERS_DNS"]), "rspamd_tasks_with_dns": int(e["PEERS_RDNS"]),
    "repeat_fast": int(e["PEERS_REPEAT"]), "elapsed": int(e["PEERS_ELAPSED"]),
}, open(sys.argv[1], "w"), indent=1)
EOF
python3 "$client" report --results "$results" --meta "$work/meta.json" --sample "$work/sample/sample.json" --md "$md"
[ "$dns_queries" = 0 ] || echo "WARNING: $dns_queries DNS queries reached the sink: a peer was not fully offline (see $work/dns.log with KEEP_TMP=1)"
echo "run took $(($(date +%s) - started)) s"
exit 0
