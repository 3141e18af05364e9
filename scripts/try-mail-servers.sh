#!/usr/bin/env bash
# Tries the mail-server configurations of docs/mail-servers/ for real, as they are written
# there (only the binary's path, the folders and the port are replaced): procmail, maildrop
# and Rspamd, each with a scam and a genuine fixture. Installs what is missing from Debian's
# packages when run as root. Loopback only; nothing leaves the machine. Not part of CI (the
# milter with a real Postfix is: scripts/postfix-milter-test.sh).
#
#   REDFLAG_BIN=target/release/redflag bash scripts/try-mail-servers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${REDFLAG_BIN:-target/debug/redflag}")
[ -x "$bin" ] || { echo "build redflag first (cargo build -p redflag-cli)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
need=()
for c in procmail maildrop rspamd; do command -v "$c" >/dev/null || need+=("$c"); done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing: ${need[*]}"
  # No package may start a daemon here.
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
scam=tests/fixtures/email/scam-ssn-bank.eml
legit=tests/fixtures/email/legit-amazon-order.eml
verdict_of() { grep -m1 '^X-Redflag-Verdict:' "$1" | cut -d' ' -f2 | tr -d '\r'; }

# ---------------------------------------------------------------- procmail
m=$work/procmail/Maildir
mkdir -p "$m"/{cur,new,tmp} "$m"/.Scam/{cur,new,tmp}
{
  echo "MAILDIR=$m/"
  echo "DEFAULT=$m/"
  sed "s|/usr/local/bin/redflag|$bin|" docs/mail-servers/procmailrc
} >"$work/procmailrc"
procmail -m "$work/procmailrc" <"$scam"
procmail -m "$work/procmailrc" <"$legit"
[ "$(verdict_of "$m"/.Scam/new/*)" = scam ] || fail "procmail: the scam is not in .Scam"
[ "$(verdict_of "$m"/new/*)" = clean ] || fail "procmail: the genuine message is not in the inbox"
grep -q '^Subject: \[SCAM?\] ' "$m"/.Scam/new/* || fail "procmail: no subject tag"
echo "procmail: ok (scam to .Scam with the subject tagged, genuine to the inbox)"

# ---------------------------------------------------------------- maildrop
m=$work/maildrop/Maildir
mkdir -p "$(dirname "$m")" && maildirmake "$m" && maildirmake -f Scam "$m"
sed -e "s|/usr/local/bin/redflag|$bin|" -e "s|\$HOME/Maildir|$m|" docs/mail-servers/mailfilter \
  >"$work/mailfilter"
echo "to \"$m/\"" >>"$work/mailfilter"
chmod 600 "$work/mailfilter"
maildrop "$work/mailfilter" <"$scam"
maildrop "$work/mailfilter" <"$legit"
[ "$(verdict_of "$m"/.Scam/new/*)" = scam ] || fail "maildrop: the scam is not in .Scam"
[ "$(verdict_of "$m"/new/*)" = clean ] || fail "maildrop: the genuine message is not in the inbox"
echo "maildrop: ok"

# ---------------------------------------------------------------- Rspamd + redflag serve
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_redflag=$(free_port)
port_rspamd=$(free_port)
"$bin" serve --addr "127.0.0.1:$port_redflag" --rate-limit 0 >"$work/redflag.log" 2>&1 &
pids+=($!)
r=$work/rspamd
mkdir -p "$r/local/local.d" "$r/run" "$r/db" "$r/log"
cat >"$r/rspamd.conf" <<CONF
lua = "\$RULESDIR/rspamd.lua"
.include "\$CONFDIR/metrics.conf"
.include "\$CONFDIR/actions.conf"
.include "\$CONFDIR/groups.conf"
.include "\$CONFDIR/composites.conf"
.include "\$CONFDIR/modules.conf"
.include "\$CONFDIR/settings.conf"
modules { path = "\${PLUGINSDIR}"; fallback_path = "\${SHAREDIR}/lua"; }
options { pidfile = "\$RUNDIR/rspamd.pid"; .include "\$CONFDIR/options.inc" }
logging { type = "file"; filename = "\$LOGDIR/rspamd.log"; level = "info"; }
worker "normal" { bind_socket = "127.0.0.1:$port_rspamd"; count = 1; .include "\$CONFDIR/worker-normal.inc" }
CONF
# Rspamd's own network checks are off here (no DNS on this machine); redflag's rule needs none.
for mod in rbl surbl emails spf dkim dmarc arc asn fuzzy_check dcc external_services \
  once_received whitelist multimap rspamd_update mx_check bimi neural ratelimit greylist \
  replies reputation history_redis url_redirector dkim_signing; do
  echo 'enabled = false;' >"$r/local/local.d/$mod.conf"
done
sed "s|http://127.0.0.1:8080/|http://127.0.0.1:$port_redflag/|" docs/mail-servers/redflag.lua \
  >"$r/local/rspamd.local.lua"
insecure=()
[ "$(id -u)" != 0 ] || insecure=(-i)
rspamd -f "${insecure[@]}" -c "$r/rspamd.conf" --var="CONFDIR=/etc/rspamd" \
  --var="LOCAL_CONFDIR=$r/local" --var="RUNDIR=$r/run" --var="DBDIR=$r/db" \
  --var="LOGDIR=$r/log" >"$r/stdout.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  rspamc -h "127.0.0.1:$port_rspamd" stat >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$port_redflag/api/v1/health" >/dev/null && break
  sleep 0.5
done
out=$(rspamc -h "127.0.0.1:$port_rspamd" symbols "$scam")
echo "$out" | grep -q 'REDFLAG_SCAM' || { echo "$out"; tail -20 "$r/log/rspamd.log"; fail "rspamd: no REDFLAG_SCAM"; }
out=$(rspamc -h "127.0.0.1:$port_rspamd" symbols "$legit")
echo "$out" | grep -q 'REDFLAG_CLEAN' || { echo "$out"; fail "rspamd: no REDFLAG_CLEAN"; }
echo "rspamd: ok (REDFLAG_SCAM with the rule IDs for the scam, REDFLAG_CLEAN for the genuine one)"
rspamc -h "127.0.0.1:$port_rspamd" symbols "$scam" | grep 'REDFLAG' | sed 's/^/  /'
