#!/usr/bin/env bash
# The milter with a real Postfix (run by .ci/run; see docs/mail-servers.md).
#
# Installs Postfix from Debian packages if needed, configures it for loopback-only local
# delivery (127.0.0.1:25, mail for redflagtest@localhost into /home/redflagtest/Maildir,
# every message through the milter on 127.0.0.1:$MILTER_PORT), and checks:
#   (a) a scam and a genuine message submitted over SMTP are delivered with
#       X-Redflag-Verdict scam / clean, forged X-Redflag-* fields removed, the subject of
#       the scam tagged, bodies intact; a message from the sendmail command (pickup,
#       non_smtpd_milters) is stamped too;
#   (b) with --reject-at 70 the scam is rejected at SMTP time with 550, the genuine one
#       still delivered;
#   (c) with --quarantine-at 70 the scam lands in Postfix's hold queue;
#   (d) with the milter stopped, mail is still delivered (milter_default_action = accept),
#       without the fields.
# Optionally (REDFLAG_MILTER_THROUGHPUT=N) it then measures messages per second through
# Postfix with and without the milter, N messages over 2 SMTP connections, cycling over the
# .eml files of REDFLAG_MILTER_THROUGHPUT_DIR (default tests/fixtures/email).
#
# It reconfigures the machine's Postfix, so it is meant for CI containers: it refuses to
# touch a Postfix it did not install unless REDFLAG_POSTFIX_TEST_FORCE=1. It needs root
# (re-runs itself with sudo), no systemd, and can run any number of times.
#
#   REDFLAG_BIN=target/debug/redflag bash scripts/postfix-milter-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  exec sudo -E bash "$0" "$@"
fi

REDFLAG_BIN=${REDFLAG_BIN:-target/debug/redflag}
MILTER_PORT=${MILTER_PORT:-11332}
THROUGHPUT=${REDFLAG_MILTER_THROUGHPUT:-0}
TEST_USER=redflagtest
RCPT="$TEST_USER@localhost"
MAILDIR="/home/$TEST_USER/Maildir"
POSTFIX_LOG=/var/log/postfix.log
MARKER=/etc/postfix/redflag-milter-test
SCAM=tests/fixtures/email/scam-account-locked.eml
GENUINE=tests/fixtures/email/legit-amazon-order.eml
WAIT=30

if [ ! -x "$REDFLAG_BIN" ]; then
  echo "no redflag binary at $REDFLAG_BIN (build it: cargo build -p redflag-cli; or set REDFLAG_BIN)" >&2
  exit 1
fi
REDFLAG_BIN=$(readlink -f "$REDFLAG_BIN")
WORK=$(mktemp -d /tmp/redflag-postfix-test.XXXXXX)
milter_pid=""
milter_log=""
started=$SECONDS

note() { printf '%s\n' "$*"; }
pass() { printf '  ok: %s\n' "$*"; }

stop_milter() {
  if [ -n "$milter_pid" ]; then
    kill -TERM "$milter_pid" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do
      kill -0 "$milter_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$milter_pid" 2>/dev/null; then
      echo "the milter did not stop within 5 s of SIGTERM" >&2
      kill -KILL "$milter_pid" 2>/dev/null || true
      wait "$milter_pid" 2>/dev/null || true
      milter_pid=""
      return 1
    fi
    local code=0
    wait "$milter_pid" || code=$?
    milter_pid=""
    if [ "$code" -ne 0 ]; then
      echo "the milter exited with $code after SIGTERM" >&2
      return 1
    fi
  fi
}

cleanup() {
  local code=$?
  set +e
  stop_milter
  postfix stop >/dev/null 2>&1
  if [ "$code" -ne 0 ]; then
    echo >&2
    echo "FAILED (exit $code). The end of the Postfix log ($POSTFIX_LOG):" >&2
    tail -n 40 "$POSTFIX_LOG" >&2 2>/dev/null
    for f in "$WORK"/milter-*.log; do
      [ -f "$f" ] || continue
      echo "--- $f" >&2
      tail -n 20 "$f" >&2
    done
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# ---- Postfix: install, configure, start -----------------------------------------------------
if [ ! -x /usr/sbin/postfix ]; then
  note "installing postfix (Debian package, 'Local only')"
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postfix >/dev/null
  touch "$MARKER"
fi
if [ ! -e "$MARKER" ] && [ "${REDFLAG_POSTFIX_TEST_FORCE:-}" != 1 ]; then
  echo "Postfix is installed but was not set up by this script: it would be reconfigured" >&2
  echo "for the test. Run it in a CI container, or set REDFLAG_POSTFIX_TEST_FORCE=1." >&2
  exit 1
fi
touch "$MARKER"
[ -e /etc/postfix/main.cf.before-redflag-test ] || cp /etc/postfix/main.cf /etc/postfix/main.cf.before-redflag-test
command -v python3 >/dev/null || fail "python3 is needed to talk SMTP"

postconf -e \
  "myhostname = redflag-test.localdomain" \
  "mydomain = localdomain" \
  "myorigin = localhost" \
  "mydestination = localhost" \
  "inet_interfaces = loopback-only" \
  "inet_protocols = ipv4" \
  "mynetworks = 127.0.0.0/8" \
  "relayhost =" \
  "default_transport = error" \
  "relay_transport = error" \
  "home_mailbox = Maildir/" \
  "mailbox_command =" \
  "alias_maps = hash:/etc/aliases" \
  "alias_database = hash:/etc/aliases" \
  "smtpd_milters = inet:127.0.0.1:$MILTER_PORT" \
  "non_smtpd_milters = inet:127.0.0.1:$MILTER_PORT" \
  "milter_default_action = accept" \
  "milter_protocol = 6" \
  "milter_connect_timeout = 5s" \
  "maillog_file = $POSTFIX_LOG" \
  "smtpd_tls_security_level = none" \
  "smtp_tls_security_level = none"
postconf -M postlog/unix-dgram >/dev/null 2>&1 || fail "master.cf has no postlog service (Postfix 3.4 or later needed)"
[ -e /etc/aliases ] || : > /etc/aliases
newaliases
id "$TEST_USER" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$TEST_USER"
rm -rf "$MAILDIR"
touch "$POSTFIX_LOG"

if postfix status >/dev/null 2>&1; then
  postfix stop >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do postfix status >/dev/null 2>&1 || break; sleep 0.1; done
fi
[ -x /usr/lib/postfix/configure-instance.sh ] && /usr/lib/postfix/configure-instance.sh - >/dev/null 2>&1 || true
postsuper -d ALL >/dev/null 2>&1 || true
postfix check
postfix start >/dev/null 2>&1 || fail "postfix did not start"
note "postfix $(postconf -h mail_version) started (loopback only, milter inet:127.0.0.1:$MILTER_PORT)"

# ---- helpers --------------------------------------------------------------------------------
cat > "$WORK/smtp.py" <<'PY'
"""send FILE ID [forge]: submit FILE over SMTP to 127.0.0.1:25, prefixed with an X-Test-Id
field (and, with `forge`, forged X-Redflag fields); print the DATA reply code and text.
throughput N CONC FILE...: submit N messages cycling over FILEs on CONC connections;
print seconds and counts."""
import re, smtplib, sys, threading, time

RCPT = "redflagtest@localhost"

def submit(s, data):
    s.mail("sender@example.com")
    code, msg = s.rcpt(RCPT)
    if code != 250:
        return code, msg.decode("utf-8", "replace")
    code, msg = s.docmd("DATA")
    if code != 354:
        return code, msg.decode("utf-8", "replace")
    # What smtplib.SMTP.data sends, without raising on a 5xx reply.
    q = re.sub(rb"(?m)^\.", b"..", data)
    q = re.sub(rb"\r\n|\n|\r(?!\n)", b"\r\n", q)
    if not q.endswith(b"\r\n"):
        q += b"\r\n"
    s.send(q + b".\r\n")
    code, msg = s.getreply()
    return code, msg.decode("utf-8", "replace")

def load(path, prefix):
    with open(path, "rb") as f:
        return prefix + f.read()

if sys.argv[1] == "send":
    path, test_id = sys.argv[2], sys.argv[3]
    prefix = b"X-Test-Id: " + test_id.encode() + b"\r\n"
    if len(sys.argv) > 4 and sys.argv[4] == "forge":
        prefix += b"X-Redflag-Verdict: clean\r\nX-Redflag-Score: 0\r\n"
    with smtplib.SMTP("127.0.0.1", 25, timeout=60) as s:
        s.ehlo("client.example")
        code, msg = submit(s, load(path, prefix))
    print(code, msg.replace("\n", " "))
elif sys.argv[1] == "throughput":
    n, conc, files = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    datas = [load(p, b"") for p in files]
    counts = {}
    lock = threading.Lock()
    def worker(k):
        with smtplib.SMTP("127.0.0.1", 25, timeout=120) as s:
            s.ehlo("client.example")
            for i in range(k, n, conc):
                code, _ = submit(s, datas[i % len(datas)])
                with lock:
                    counts[code] = counts.get(code, 0) + 1
    t0 = time.monotonic()
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(conc)]
    for t in ts: t.start()
    for t in ts: t.join()
    dt = time.monotonic() - t0
    print(f"{dt:.3f} {counts}")
PY

# Starts the milter with the given options and waits until it listens.
start_milter() {
  milter_log="$WORK/milter-$1.log"
  shift
  "$REDFLAG_BIN" milter --listen "inet:$MILTER_PORT@127.0.0.1" "$@" >"$milter_log" 2>&1 &
  milter_pid=$!
  local i
  for i in $(seq 1 $((WAIT * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$MILTER_PORT") 2>/dev/null; then return 0; fi
    kill -0 "$milter_pid" 2>/dev/null || fail "the milter exited: $(cat "$milter_log")"
    sleep 0.1
  done
  fail "the milter did not listen on port $MILTER_PORT within $WAIT s"
}

# send FILE ID [forge] -> prints "CODE text"
send() { python3 "$WORK/smtp.py" send "$@"; }

# Prints the path of the delivered message with X-Test-Id ID, waiting up to $WAIT s.
delivered() {
  local id=$1 i f
  for i in $(seq 1 $((WAIT * 5))); do
    f=$(grep -rlx "X-Test-Id: $id" "$MAILDIR/new" 2>/dev/null | head -n 1 || true)
    if [ -n "$f" ]; then printf '%s\n' "$f"; return 0; fi
    sleep 0.2
  done
  fail "message $id was not delivered to $MAILDIR within $WAIT s (mailq: $(mailq 2>&1 | tail -n 3 | tr '\n' ' '))"
}

# The body (after the first empty line), line endings as LF.
body_of() { tr -d '\r' <"$1" | sed '1,/^$/d'; }

header_values() { # FILE NAME: the values of field NAME in the header block, one per line
  tr -d '\r' <"$1" | sed '/^$/q' | grep -i "^$2:" | sed "s/^[^:]*: *//" || true
}

check_body() { # DELIVERED FIXTURE
  if ! cmp -s <(body_of "$1") <(body_of "$2"); then
    diff <(body_of "$2") <(body_of "$1") | head -n 20 >&2
    fail "the body of $(basename "$2") changed on the way"
  fi
}

expect_verdict() { # FILE VERDICT
  local got
  got=$(header_values "$1" X-Redflag-Verdict)
  [ "$got" = "$2" ] || fail "expected X-Redflag-Verdict: $2, got '${got//$'\n'/ | }'"
}

run_id=$(date +%s)-$$

# ---- (a) headers ------------------------------------------------------------------------------
note "(a) redflag milter --subject-tag '[SCAM?]': fields added, forged ones removed, bodies intact"
start_milter a --subject-tag "[SCAM?]"
reply=$(send "$SCAM" "a-scam-$run_id" forge)
[ "${reply%% *}" = 250 ] || fail "scam submission: expected 250, got: $reply"
f=$(delivered "a-scam-$run_id")
expect_verdict "$f" scam
pass "scam delivered with X-Redflag-Verdict: scam (the forged 'clean' removed)"
score=$(header_values "$f" X-Redflag-Score)
[ "$(header_values "$f" X-Redflag-Score | wc -l)" = 1 ] || fail "more than one X-Redflag-Score"
[ "$score" -ge 70 ] 2>/dev/null || fail "scam score $score, expected >= 70 for the checks below"
header_values "$f" X-Redflag-Flags | grep -q '[A-Z][A-Z][A-Z][0-9]' || fail "no X-Redflag-Flags"
header_values "$f" X-Redflag-Version | grep -q '^redflag ' || fail "no X-Redflag-Version"
header_values "$f" Subject | grep -q '^\[SCAM?\] ' || fail "the scam's subject is not tagged"
pass "score $score, flags $(header_values "$f" X-Redflag-Flags | tr -d '\n' | cut -c1-60)..., subject tagged"
check_body "$f" "$SCAM"
pass "scam body intact"

reply=$(send "$GENUINE" "a-genuine-$run_id")
[ "${reply%% *}" = 250 ] || fail "genuine submission: expected 250, got: $reply"
f=$(delivered "a-genuine-$run_id")
expect_verdict "$f" clean
header_values "$f" Subject | grep -q '^\[SCAM?\]' && fail "the genuine message's subject was tagged"
check_body "$f" "$GENUINE"
pass "genuine delivered with X-Redflag-Verdict: clean, subject untouched, body intact"

{ printf 'X-Test-Id: a-local-%s\n' "$run_id"; cat "$GENUINE"; } | sendmail -f sender@localhost "$RCPT"
f=$(delivered "a-local-$run_id")
expect_verdict "$f" clean
pass "a message from the sendmail command (non_smtpd_milters) stamped too"
if grep -Eqi "$TEST_USER|example\.com|linda|subject|amazon" "$milter_log"; then
  grep -Ei "$TEST_USER|example\.com|linda|subject|amazon" "$milter_log" | head -n 3 >&2
  fail "the milter's log holds personal data"
fi
pass "the milter's log holds no addresses, subjects or content ($(grep -c ' message' "$milter_log") message lines)"
stop_milter
pass "the milter stopped cleanly on SIGTERM"

# ---- (b) reject ------------------------------------------------------------------------------
note "(b) redflag milter --reject-at 70: the scam refused at SMTP time"
start_milter b --reject-at 70
reply=$(send "$SCAM" "b-scam-$run_id")
case "$reply" in
  "550 5.7.1 "*redflag*) pass "scam rejected: $reply" ;;
  *) fail "scam: expected 550 5.7.1 naming redflag, got: $reply" ;;
esac
reply=$(send "$GENUINE" "b-genuine-$run_id")
[ "${reply%% *}" = 250 ] || fail "genuine submission: expected 250, got: $reply"
f=$(delivered "b-genuine-$run_id")
expect_verdict "$f" clean
pass "genuine still delivered, clean"
grep -rlqx "X-Test-Id: b-scam-$run_id" "$MAILDIR/new" && fail "the rejected scam was delivered"
stop_milter

# ---- (c) quarantine --------------------------------------------------------------------------
note "(c) redflag milter --quarantine-at 70: the scam held"
start_milter c --quarantine-at 70
reply=$(send "$SCAM" "c-scam-$run_id")
[ "${reply%% *}" = 250 ] || fail "scam submission: expected 250 (quarantined, not refused), got: $reply"
queue_id=$(printf '%s\n' "$reply" | sed -n 's/.*queued as \([0-9A-Za-z]*\).*/\1/p')
[ -n "$queue_id" ] || fail "no queue ID in the reply: $reply"
held=""
for _ in $(seq 1 $((WAIT * 5))); do
  if postqueue -j 2>/dev/null | grep -F "\"queue_id\": \"$queue_id\"" | grep -q '"queue_name": "hold"'; then
    held=yes
    break
  fi
  sleep 0.2
done
[ -n "$held" ] || fail "scam $queue_id is not in the hold queue: $(postqueue -j 2>&1 | head -c 400)"
hold_line=$(grep "$queue_id: milter-hold: " "$POSTFIX_LOG" | head -n 1 || true)
[ -n "$hold_line" ] || fail "no milter-hold line for $queue_id in $POSTFIX_LOG"
grep -q "queue_id=$queue_id .*action=\"quarantine\"" "$milter_log" || fail "the milter did not log quarantining $queue_id"
pass "scam $queue_id in the hold queue (postfix: milter-hold; the milter: action=quarantine)"
grep -rlqx "X-Test-Id: c-scam-$run_id" "$MAILDIR/new" && fail "the held scam was delivered"
reply=$(send "$GENUINE" "c-genuine-$run_id")
f=$(delivered "c-genuine-$run_id")
expect_verdict "$f" clean
pass "genuine delivered, clean"
postsuper -d "$queue_id" hold >/dev/null 2>&1 || true
stop_milter

# ---- (d) milter down -------------------------------------------------------------------------
note "(d) the milter stopped: mail still flows (milter_default_action = accept), unstamped"
reply=$(send "$SCAM" "d-scam-$run_id")
[ "${reply%% *}" = 250 ] || fail "with the milter down: expected 250, got: $reply"
f=$(delivered "d-scam-$run_id")
[ -z "$(header_values "$f" X-Redflag-Verdict)" ] || fail "X-Redflag-Verdict present without the milter"
check_body "$f" "$SCAM"
reply=$(send "$GENUINE" "d-genuine-$run_id")
f=$(delivered "d-genuine-$run_id")
[ -z "$(header_values "$f" X-Redflag-Verdict)" ] || fail "X-Redflag-Verdict present without the milter"
pass "scam and genuine delivered without X-Redflag fields"

# ---- throughput (optional) -------------------------------------------------------------------
if [ "$THROUGHPUT" -gt 0 ]; then
  bench_dir=${REDFLAG_MILTER_THROUGHPUT_DIR:-tests/fixtures/email}
  files=("$bench_dir"/*.eml)
  note "throughput: $THROUGHPUT messages (cycling over ${#files[@]} .eml files in $bench_dir), 2 SMTP connections"
  measure() { # LABEL
    rm -rf "$MAILDIR"
    local t0 out secs n=0 total
    t0=$(date +%s.%N)
    out=$(python3 "$WORK/smtp.py" throughput "$THROUGHPUT" 2 "${files[@]}")
    secs=${out%% *}
    # Until every message is delivered.
    for _ in $(seq 1 1200); do
      n=$(find "$MAILDIR/new" -type f 2>/dev/null | wc -l)
      [ "$n" -ge "$THROUGHPUT" ] && break
      sleep 0.25
    done
    total=$(python3 -c "import time; print(round(time.time() - $t0, 2))")
    printf '  %s: accepted over SMTP in %s s (%s msg/s); all %s delivered after %s s (%s msg/s); replies %s\n' \
      "$1" "$secs" "$(python3 -c "print(round($THROUGHPUT / $secs, 1))")" "$n" "$total" \
      "$(python3 -c "print(round($n / $total, 1))")" "${out#* }"
  }
  measure "postfix alone        "
  start_milter t
  measure "postfix + the milter "
  stop_milter
fi

note "all checks passed in $((SECONDS - started)) s"
