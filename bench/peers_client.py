#!/usr/bin/env python3
"""Helper for bench/peers.sh: sample the corpus, drive redflag / Rspamd / spamd, read
server-side CPU, and print the comparison table. Python 3 standard library only.

Subcommands (all used by peers.sh; see docs/peers.md):
  sample    pick the fixed sample from the corpus and write the messages to a temp dir
  freeports print N free loopback TCP ports
  dnssink   a loopback DNS server that answers REFUSED to everything and logs each query
  ping      wait until a server answers (redflag health, Rspamd /ping, spamd PING)
  waitidle  wait until a process tree stops using CPU (rule compilation, model load...)
  run       send one batch of messages with N concurrent clients and record the
            server's CPU (its whole process tree) before and after
  cli       run `redflag eval` over the sample as one process and record its CPU
  report    print the table and write it as Markdown
"""

import argparse
import base64
import collections
import email.header
import email.utils
import http.client
import json
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

EMAIL_QUOTA = [  # (source, label, how many): 300 emails; evenly spaced by id in each group
    ("phishing_pot", "scam", 90),
    ("nazario_csv", "scam", 60),
    ("spamassassin", "legit", 90),
    ("spamassassin", "spam", 30),
    ("legit_amazon_email", "legit", 10),
    ("legit_amazon_more", "legit", 20),
]
SMS_QUOTA = [  # 300 SMS
    ("uci_sms_spam", "legit", 70),
    ("uci_sms_spam", "spam", 20),
    ("mendeley_smishing", "legit", 30),
    ("mendeley_smishing", "scam", 30),
    ("mendeley_smishing", "spam", 10),
    ("smishtank", "scam", 50),
    ("smishtank", "spam", 15),
    ("spamhunter", "scam", 40),
    ("spamhunter", "spam", 15),
    ("legit_amazon_more", "legit", 20),
]
SMS_FROM_PLACEHOLDER = "sms@sms.invalid"
EMAIL_FROM_PLACEHOLDER = "unknown@sender.invalid"
RECIPIENT = b"recipient@example.com"


def die(msg, code=2):
    print("peers_client: " + msg, file=sys.stderr)
    sys.exit(code)


# ---------------------------------------------------------------- sample

def hdr(value):
    """A header value on one line; RFC 2047 encoded when not ASCII."""
    value = " ".join((value or "").split())
    try:
        value.encode("ascii")
        return value.encode("ascii")
    except UnicodeEncodeError:
        return email.header.Header(value, "utf-8", maxlinelen=998).encode().encode("ascii")


def from_hdr(sender, placeholder):
    """A From header: the sender when it looks like an address (or `Name <addr>`), otherwise
    the sender as display name of a placeholder address."""
    s = " ".join((sender or "").split())
    if not s:
        return placeholder.encode("ascii")
    if "@" in s and all(ord(c) < 128 for c in s):
        return s.encode("ascii")
    name = s.replace("\\", "").replace('"', "")
    try:
        name.encode("ascii")
        return b'"' + name.encode("ascii") + b'" <' + placeholder.encode("ascii") + b">"
    except UnicodeEncodeError:
        return hdr(name) + b" <" + placeholder.encode("ascii") + b">"


def wrap(sender, subject, body, ctype, placeholder, msgid, date):
    """A minimal RFC 5322 message around a body (bytes): the headers a mail server would
    have added (Date, Message-ID, a recipient) are there, so that the peers do not score
    their absence."""
    head = [
        b"From: " + from_hdr(sender, placeholder),
        b"To: " + RECIPIENT,
        b"Subject: " + hdr(subject),
        b"Date: " + date.encode("ascii"),
        b"Message-ID: <" + msgid.encode("ascii") + b">",
        b"MIME-Version: 1.0",
        b"Content-Type: " + ctype + b"; charset=utf-8",
        b"Content-Transfer-Encoding: 8bit",
    ]
    body = body.replace(b"\r\n", b"\n")
    return b"\n".join(head) + b"\n\n" + body + (b"" if body.endswith(b"\n") else b"\n")


def scale(quota, n):
    """The quotas scaled down to n messages in all (largest remainders), so that a smaller
    sample keeps the same mix."""
    total = sum(k for _, _, k in quota)
    if n >= total:
        return quota
    exact = [k * n / total for _, _, k in quota]
    ks = [int(x) for x in exact]
    for i in sorted(range(len(quota)), key=lambda i: (ks[i] - exact[i], i))[: n - sum(ks)]:
        ks[i] += 1
    return [(s, l, k) for (s, l, _), k in zip(quota, ks)]


def pick(rows, quota):
    groups = collections.defaultdict(list)
    for r in rows:
        groups[(r["source"], r["label"])].append(r)
    out, short = [], []
    for source, label, k in quota:
        g = sorted(groups.get((source, label), []), key=lambda r: r["id"])
        n = len(g)
        if k == 0:
            continue
        if n <= k:
            chosen = g
            if n < k:
                short.append(f"{source}/{label}: {n} of {k}")
        else:
            chosen = [g[int((i + 0.5) * n / k)] for i in range(k)]
        out.extend(chosen)
    return out, short


def cmd_sample(a):
    corpus = a.corpus
    idx = os.path.join(corpus, "index.jsonl")
    if not os.path.isfile(idx):
        die(f"no corpus index at {idx}")
    rows = []
    with open(idx, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("dup_of"):
                continue
            if "path" not in r and "text" not in r:
                continue
            if r.get("path") and not os.path.isfile(os.path.join(corpus, r["path"])):
                continue
            rows.append(r)
    emails, short_e = pick([r for r in rows if r["channel"] == "email"], scale(EMAIL_QUOTA, a.emails))
    sms, short_s = pick([r for r in rows if r["channel"] == "sms"], scale(SMS_QUOTA, a.sms))
    for d in ("email", "sms"):
        os.makedirs(os.path.join(a.out, d), exist_ok=True)
    meta = []
    rf_email, rf_sms = [], []
    date = email.utils.formatdate(time.time() - 600, usegmt=True)
    for n, r in enumerate(emails):
        if r.get("path"):
            raw = open(os.path.join(corpus, r["path"]), "rb").read()
            ext = r["path"].rsplit(".", 1)[-1].lower()
            if ext in ("html", "txt"):
                raw = wrap(r.get("sender"), r.get("subject"), raw,
                           b"text/html" if ext == "html" else b"text/plain",
                           EMAIL_FROM_PLACEHOLDER, f"email-{n:04d}@sender.invalid", date)
        else:  # a CSV-sourced body: wrap it with the sender and subject the corpus gives
            raw = wrap(r.get("sender"), r.get("subject"), r["text"].encode("utf-8"), b"text/plain",
                       EMAIL_FROM_PLACEHOLDER, f"email-{n:04d}@sender.invalid", date)
        rel = f"email/{n:04d}.eml"
        with open(os.path.join(a.out, rel), "wb") as f:
            f.write(raw)
        meta.append({"kind": "email", "id": r["id"], "source": r["source"], "label": r["label"],
                     "file": rel, "size": len(raw)})
        rf_email.append({"id": r["id"], "channel": "email", "label": r["label"], "path": rel})
    for n, r in enumerate(sms):
        text = r["text"]
        sender = r.get("sender") or ""
        raw = wrap(sender, "SMS", text.encode("utf-8"), b"text/plain", SMS_FROM_PLACEHOLDER,
                   f"sms-{n:04d}@sms.invalid", date)
        rel = f"sms/{n:04d}.eml"
        with open(os.path.join(a.out, rel), "wb") as f:
            f.write(raw)
        meta.append({"kind": "sms", "id": r["id"], "source": r["source"], "label": r["label"],
                     "file": rel, "size": len(raw), "text": text, "sender": sender})
        row = {"id": r["id"], "channel": "sms", "label": r["label"], "text": text}
        if sender:
            row["sender"] = sender
        rf_sms.append(row)
    with open(os.path.join(a.out, "messages.jsonl"), "w", encoding="utf-8") as f:
        for m in meta:
            f.write(json.dumps(m, ensure_ascii=False) + "\n")
    for name, rs in (("redflag-email.jsonl", rf_email), ("redflag-sms.jsonl", rf_sms)):
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            for r in rs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        with open(os.path.join(a.out, name.replace(".jsonl", "-one.jsonl")), "w", encoding="utf-8") as f:
            f.write(json.dumps(rs[0], ensure_ascii=False) + "\n")
    summary = collections.Counter((m["kind"], m["source"], m["label"]) for m in meta)
    sizes = {k: [m["size"] for m in meta if m["kind"] == k] for k in ("email", "sms")}
    info = {
        "emails": len(emails), "sms": len(sms),
        "groups": [[k, s, l, c] for (k, s, l), c in sorted(summary.items())],
        "short": short_e + short_s,
        "bytes": {k: {"total": sum(v), "max": max(v) if v else 0,
                      "median": sorted(v)[len(v) // 2] if v else 0} for k, v in sizes.items()},
    }
    with open(os.path.join(a.out, "sample.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"sample: {len(emails)} emails, {len(sms)} SMS "
          f"(email bytes: median {info['bytes']['email']['median']}, max {info['bytes']['email']['max']})")
    for k, s, l, c in info["groups"]:
        print(f"  {k:5} {s:20} {l:6} {c:4}")
    for s in info["short"]:
        print(f"  note: group smaller than its quota: {s}")
    if not emails or not sms:
        die("the sample is empty (wrong corpus?)")


# ---------------------------------------------------------------- ports, DNS sink

def cmd_freeports(a):
    socks = []
    for _ in range(a.n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()


def cmd_dnssink(a):
    """Answers every query REFUSED at once (so a lookup that slipped through costs no wait)
    and logs its name: the log must stay empty when the peers are truly offline."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.replace(a.port_file + ".tmp", a.port_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log = open(a.log, "a", buffering=1)
    while True:
        data, peer = s.recvfrom(4096)
        if len(data) < 12:
            continue
        # The question name, for the log.
        labels, i = [], 12
        while i < len(data) and data[i] != 0 and len(labels) < 64:
            ln = data[i]
            labels.append(data[i + 1:i + 1 + ln].decode("ascii", "replace"))
            i += 1 + ln
        log.write(".".join(labels) + "\n")
        flags = bytes([0x80 | (data[2] & 0x79), 0x05])  # QR, same opcode/RD, RCODE=REFUSED
        s.sendto(data[:2] + flags + data[4:6] + b"\0\0\0\0\0\0" + data[12:i + 5], peer)


# ---------------------------------------------------------------- CPU of a process tree

def proc_stat(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        s = f.read().decode("ascii", "replace")
    fields = s[s.rindex(")") + 2:].split()
    # fields[0] is state (field 3); ppid is field 4, utime..cstime fields 14..17
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def tree_cpu(root):
    """utime+stime+cutime+cstime summed over the live process tree below `root` (in clock
    ticks). A child that exited and was reaped by a tree member is in its parent's cutime /
    cstime, so workers that come and go (spamd's children) are counted too. Threads are in
    their process's figures."""
    procs = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                procs[int(d)] = proc_stat(d)
            except (OSError, ValueError, IndexError):
                pass
    if root not in procs:
        raise RuntimeError(f"process {root} is gone")
    children = collections.defaultdict(list)
    for pid, (ppid, _, _) in procs.items():
        children[ppid].append(pid)
    total, n, todo = 0, 0, [root]
    while todo:
        p = todo.pop()
        _, own, reaped = procs[p]
        total += own + reaped
        n += 1
        todo.extend(children.get(p, []))
    return total, n


def cmd_waitidle(a):
    """Waits until the tree uses under `max_pct` % of one CPU for `quiet` seconds in a row."""
    tck = os.sysconf("SC_CLK_TCK")
    deadline = time.time() + a.timeout
    prev, _ = tree_cpu(a.pid)
    quiet = 0
    while time.time() < deadline:
        time.sleep(1)
        cur, n = tree_cpu(a.pid)
        pct = 100.0 * (cur - prev) / tck
        prev = cur
        quiet = quiet + 1 if pct <= a.max_pct else 0
        if quiet >= a.quiet:
            print(f"  {a.name}: idle ({n} processes, {cur / tck:.2f} s CPU since start)")
            return
    print(f"  {a.name}: still busy after {a.timeout} s; going on", file=sys.stderr)


# ---------------------------------------------------------------- talking to the servers

def http_post(host, port, path, body, headers, timeout, method="POST"):
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def spamc(host, port, msg, timeout, command=b"CHECK"):
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.sendall(command + b" SPAMC/1.5\r\nContent-length: %d\r\n\r\n" % len(msg) + msg)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)
    finally:
        s.close()


# redflag's ways to check a message, all on the same server: the full report, the
# assessment (verdict, score and findings without the words), and, for emails only, the
# mail servers' endpoint, which takes the raw email as the peers do (no JSON, no base64) and
# answers with the verdict, the rule IDs and the header fields to add.
REDFLAG_PATHS = {"redflag": "/api/v1/check", "redflag-assess": "/api/v1/assess",
                 "redflag-raw": "/api/v1/check/raw"}
RAW_SYSTEMS = {"redflag-raw"}

# The transport's floor: requests that cost each server what any check costs it on this
# transport (a new TCP connection, the HTTP request and answer, the log line) but no check.
# `redflag-floor` sends the very request of `redflag` (the same message, the same JSON)
# with a channel the API does not know: the server reads the whole body and parses the
# JSON, then answers 422 without decoding or checking the message. The two pings are each
# server's cheapest request, with no body at all.
FLOOR_PATHS = {"redflag-floor": ("POST", "/api/v1/check", 422),
               "redflag-ping": ("GET", "/api/v1/health", 200),
               "rspamd-ping": ("GET", "/ping", 200)}
UNKNOWN_CHANNEL = "not-a-channel"


class Target:
    """One system: builds the request for a message, sends it, and reads the answer as
    (ok, flagged, error_text)."""

    def __init__(self, system, host, port, timeout):
        self.system, self.host, self.port, self.timeout = system, host, port, timeout

    def prepare(self, m, raw):
        if self.system in RAW_SYSTEMS:
            if m["kind"] != "email":
                raise ValueError(f"{self.system} checks emails only")
            return raw
        if self.system in REDFLAG_PATHS or self.system == "redflag-floor":
            if m["kind"] == "email":
                obj = {"email_base64": base64.b64encode(raw).decode("ascii"), "channel": "email"}
            else:
                obj = {"text": m["text"], "channel": "sms"}
                if m.get("sender"):
                    obj["sender"] = m["sender"]
            if self.system == "redflag-floor":
                obj["channel"] = UNKNOWN_CHANNEL
            return json.dumps(obj).encode("utf-8")
        if self.system in FLOOR_PATHS:
            return None
        return raw

    def send(self, body):
        if self.system in FLOOR_PATHS:
            method, path, want = FLOOR_PATHS[self.system]
            headers = {"Content-Type": "application/json"} if body is not None else {}
            st, data = http_post(self.host, self.port, path, body, headers, self.timeout, method)
            if st != want:
                return False, False, f"HTTP {st}, not {want}: {data[:120]!r}"
            return True, False, None
        if self.system in REDFLAG_PATHS:
            ctype = "message/rfc822" if self.system in RAW_SYSTEMS else "application/json"
            st, data = http_post(self.host, self.port, REDFLAG_PATHS[self.system], body,
                                 {"Content-Type": ctype}, self.timeout)
            if st != 200:
                return False, False, f"HTTP {st} {data[:120]!r}"
            v = json.loads(data).get("verdict")
            if v not in ("scam", "suspicious", "clean"):
                return False, False, f"no verdict {data[:120]!r}"
            return True, v in ("scam", "suspicious"), None
        if self.system == "rspamd":
            st, data = http_post(self.host, self.port, "/checkv2", body, {}, self.timeout)
            if st != 200:
                return False, False, f"HTTP {st} {data[:120]!r}"
            j = json.loads(data)
            if "action" not in j:
                return False, False, f"no action {data[:120]!r}"
            flagged = j["action"] != "no action" or j.get("score", 0) >= j.get("required_score", 1e9)
            return True, flagged, ("skipped" if j.get("is_skipped") else None)
        if self.system == "spamd":
            data = spamc(self.host, self.port, body, self.timeout)
            first = data.split(b"\r\n", 1)[0]
            if b" 0 EX_OK" not in first:
                return False, False, f"spamd {first[:120]!r}"
            for line in data.split(b"\r\n"):
                if line.startswith(b"Spam:"):
                    return True, line.split(b";")[0].strip().endswith(b"True"), None
            return False, False, f"no Spam: header {data[:120]!r}"
        raise ValueError(self.system)

    def ping(self):
        if self.system in REDFLAG_PATHS:
            c = http.client.HTTPConnection(self.host, self.port, timeout=2)
            try:
                c.request("GET", "/api/v1/health")
                return c.getresponse().status == 200
            finally:
                c.close()
        if self.system == "rspamd":
            c = http.client.HTTPConnection(self.host, self.port, timeout=2)
            try:
                c.request("GET", "/ping")
                r = c.getresponse()
                return r.status == 200 and b"pong" in r.read()
            finally:
                c.close()
        s = socket.create_connection((self.host, self.port), timeout=2)
        try:
            s.sendall(b"PING SPAMC/1.5\r\n\r\n")
            return b"PONG" in s.recv(200)
        finally:
            s.close()


def cmd_ping(a):
    t = Target(a.system, "127.0.0.1", a.port, 5)
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        if a.pid and not os.path.exists(f"/proc/{a.pid}"):
            die(f"{a.system} (pid {a.pid}) exited during start-up")
        try:
            if t.ping():
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    die(f"{a.system} did not answer on 127.0.0.1:{a.port} within {a.timeout} s")


def load_messages(d, kind):
    ms = []
    with open(os.path.join(d, "messages.jsonl"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            if m["kind"] == kind:
                ms.append(m)
    return ms


def cmd_run(a):
    tck = int(a.clk_tck)
    msgs = load_messages(a.dir, a.kind)
    t = Target(a.system, "127.0.0.1", a.port, a.timeout)
    bodies = [t.prepare(m, open(os.path.join(a.dir, m["file"]), "rb").read()) for m in msgs]
    nreq = len(msgs) * a.repeat  # the sample, `repeat` times over (for a longer measurement)
    q = queue.Queue()
    for i in range(nreq):
        q.put(i)
    results = [None] * nreq
    deadline = time.time() + a.deadline

    def worker():
        while True:
            try:
                i = q.get_nowait()
            except queue.Empty:
                return
            if time.time() > deadline:
                results[i] = (False, False, "not sent: batch deadline passed")
                continue
            try:
                results[i] = t.send(bodies[i % len(msgs)])
            except Exception as e:  # a refused connection, a timeout, a bad answer
                results[i] = (False, False, f"{type(e).__name__}: {e}"[:160])

    cpu0, nproc0 = tree_cpu(a.pid)
    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(a.concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    cpu1, nproc1 = tree_cpu(a.pid)
    answered = sum(1 for r in results if r and r[0])
    errors = collections.Counter(r[2] for r in results if r and not r[0])
    notes = collections.Counter(r[2] for r in results if r and r[0] and r[2])
    flagged = collections.Counter()
    total = collections.Counter()
    for m, r in zip(msgs, results):  # the first copy of the sample
        total[m["label"]] += 1
        if r and r[0] and r[1]:
            flagged[m["label"]] += 1
    rec = {
        "system": a.system, "kind": a.kind, "pass": a.pass_name, "messages": len(msgs),
        "requests": nreq, "answered": answered, "errors": sum(errors.values()),
        "error_kinds": errors.most_common(5), "notes": notes.most_common(5),
        "wall_s": wall, "cpu_ticks": cpu1 - cpu0, "clk_tck": tck,
        "cpu_ms_per_msg": 1000.0 * (cpu1 - cpu0) / tck / max(nreq, 1),
        "msgs_per_s": nreq / wall if wall > 0 else 0.0,
        "processes": [nproc0, nproc1],
        "flagged": dict(flagged), "labels": dict(total), "concurrency": a.concurrency,
    }
    with open(a.out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    err = f", {rec['errors']} errors {rec['error_kinds'][:2]}" if rec["errors"] else ""
    print(f"  {a.system:8} {a.kind:5} {a.pass_name:6} {nreq:5} requests in {wall:6.1f} s: "
          f"{rec['cpu_ticks']:5} ticks = {rec['cpu_ms_per_msg']:7.3f} ms CPU/msg, "
          f"{rec['msgs_per_s']:7.1f} msgs/s{err}")


def cmd_cli(a):
    """`redflag eval` over the sample index of one kind, as one process: CPU from
    getrusage(RUSAGE_CHILDREN), start-up included. Also a one-message run, for the start-up."""
    def timed(index):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run([a.bin, "eval", "--index", index, "--json", "--no-model"] if a.no_model
                           else [a.bin, "eval", "--index", index, "--json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=a.timeout)
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        return p.returncode, cpu, wall, p.stderr.decode("utf-8", "replace")[-300:]

    full = os.path.join(a.dir, f"redflag-{a.kind}.jsonl")
    one = os.path.join(a.dir, f"redflag-{a.kind}-one.jsonl")
    n = sum(1 for line in open(full, encoding="utf-8") if line.strip())
    timed(one)  # page cache warm
    rc1, cpu1, wall1, err1 = timed(one)
    rc, cpu, wall, err = timed(full)
    rec = {"system": "redflag-cli", "kind": a.kind, "pass": a.pass_name, "messages": n,
           "rc": rc, "cpu_s": cpu, "wall_s": wall, "cpu_ms_per_msg": 1000.0 * cpu / n,
           "startup_cpu_s": cpu1, "startup_rc": rc1,
           "cpu_ms_per_msg_minus_startup": 1000.0 * max(cpu - cpu1, 0) / max(n - 1, 1)}
    if rc != 0:
        rec["stderr"] = err
    with open(a.out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print(f"  redflag eval {a.kind:5} {a.pass_name:6} {n} msgs: {cpu:.3f} s CPU "
          f"({rec['cpu_ms_per_msg']:.3f} ms/msg incl. start-up; one-message run {cpu1 * 1000:.0f} ms), "
          f"wall {wall:.2f} s, exit {rc}")


# ---------------------------------------------------------------- report

NAMES = {"redflag": "redflag serve", "redflag-assess": "redflag serve, /api/v1/assess",
         "redflag-raw": "redflag serve, /api/v1/check/raw (raw email)",
         "rspamd": "Rspamd", "spamd": "SpamAssassin (spamd)"}
FLOOR_NAMES = {"redflag-floor": "redflag serve, the same request refused before the check (422)",
               "redflag-ping": "redflag serve, GET /api/v1/health",
               "rspamd-ping": "Rspamd, GET /ping"}


def md_table(lines, intro, header, rule, rows):
    """Appends a blank line, `intro`, and a Markdown table of `rows` under `header`."""
    lines += ["", intro, "", "| " + " | ".join(header) + " |", rule]
    lines += ["| " + " | ".join(r) + " |" for r in rows]


def fmt(x, nd=3):
    return "-" if x is None else f"{x:.{nd}f}"


def cmd_report(a):
    meta = json.load(open(a.meta))
    recs = [json.loads(line) for line in open(a.results) if line.strip()]
    served = [r for r in recs if r["system"] in NAMES or r["system"] in FLOOR_NAMES]
    cli = [r for r in recs if r["system"] == "redflag-cli"]
    sample = json.load(open(a.sample))

    def agg(system, kind):
        every = [r for r in served if r["system"] == system and r["kind"] == kind]
        rs = [r for r in every if r["pass"] != "warmup"]
        if not rs:
            return None
        ticks = sum(r["cpu_ticks"] for r in rs)
        nreq = sum(r["requests"] for r in rs)
        return {
            "n": rs[0]["messages"], "passes": len(rs), "requests": nreq,
            "cpu": 1000.0 * ticks / rs[0]["clk_tck"] / nreq,
            "per_pass": [r["cpu_ms_per_msg"] for r in rs],
            "ticks": ticks,
            "mps": nreq / sum(r["wall_s"] for r in rs),
            # Answers and errors over every request sent, the warm-up included.
            "sent": sum(r["requests"] for r in every),
            "answered": sum(r["answered"] for r in every),
            "errors": sum(r["errors"] for r in every),
            "error_kinds": sum((collections.Counter(dict((k, c) for k, c in r["error_kinds"]))
                                for r in every), collections.Counter()).most_common(3),
            "notes": sum((collections.Counter(dict((k, c) for k, c in r["notes"])) for r in every),
                         collections.Counter()).most_common(3),
            "flagged": rs[-1]["flagged"], "labels": rs[-1]["labels"],
        }

    table = []
    for kind in ("email", "sms"):
        base = agg("redflag", kind)
        for system in ("redflag", "redflag-assess", "redflag-raw", "rspamd", "spamd"):
            g = agg(system, kind)
            if g is None:
                continue
            ratio = g["cpu"] / base["cpu"] if base and base["cpu"] > 0 else None
            table.append((system, kind, g, ratio))

    def ratio_cell(system, ratio):
        return "1" if system == "redflag" else (fmt(ratio, 1) + "x")

    hdrs = ["system", "kind", "msgs", "server CPU ms/msg", "per pass", "msgs/s @2 clients",
            "CPU vs redflag serve", "answered/sent (all passes)", "errors"]
    rows = []
    for system, kind, g, ratio in table:
        rows.append([NAMES[system], kind, str(g["n"]), f"{g['cpu']:.3f}",
                     " / ".join(fmt(x) for x in g["per_pass"]), f"{g['mps']:.1f}",
                     ratio_cell(system, ratio), f"{g['answered']}/{g['sent']}", str(g["errors"])])
    ratio_lines = []
    for kind in ("email", "sms"):
        for base_sys in REDFLAG_PATHS:
            base = agg(base_sys, kind)
            if base is None:
                continue
            parts = []
            for s, k, g, _ in table:
                if k != kind or s in REDFLAG_PATHS:
                    continue
                r = g["cpu"] / base["cpu"] if base["cpu"] > 0 else None
                per = [p / b if b > 0 else None for p, b in zip(g["per_pass"], base["per_pass"])]
                parts.append(f"{NAMES[s]} / {NAMES[base_sys]} = {fmt(r, 1)}x (by pass: "
                             + " / ".join(fmt(x, 2) for x in per) + ")")
            ratio_lines.append(f"{kind}: " + "; ".join(parts))
    # The transport's floor, and what it allows: were redflag's check free, a message would
    # still cost the floor, so Rspamd / floor bounds the ratio any analysis could reach.
    floor_rows = []
    bound_lines = []
    for kind in ("email", "sms"):
        for system in FLOOR_NAMES:
            g = agg(system, kind)
            if g is not None:
                floor_rows.append([FLOOR_NAMES[system], kind, f"{g['cpu']:.3f}",
                                   " / ".join(fmt(x) for x in g["per_pass"]),
                                   f"{g['answered']}/{g['sent']}", str(g["errors"])])
        floor, full, rs = agg("redflag-floor", kind), agg("redflag", kind), agg("rspamd", kind)
        if floor and full and rs and floor["cpu"] > 0 and full["cpu"] > 0:
            bound_lines.append(
                f"{kind}: the floor is {floor['cpu']:.3f} ms of redflag's {full['cpu']:.3f} ms per "
                f"message ({100 * floor['cpu'] / full['cpu']:.0f} %); the check itself costs "
                f"{full['cpu'] - floor['cpu']:.3f} ms. Were the check free, redflag serve would be at "
                f"most {rs['cpu'] / floor['cpu']:.1f}x cheaper than Rspamd on this transport "
                f"(Rspamd {rs['cpu']:.3f} ms / floor {floor['cpu']:.3f} ms)")
    det_rows = []
    for system, kind, g, _ in table:
        cells = []
        for lab in ("scam", "spam", "legit"):
            tot = g["labels"].get(lab, 0)
            cells.append(f"{g['flagged'].get(lab, 0)}/{tot}" if tot else "-")
        det_rows.append([NAMES[system], kind] + cells)
    problems = []
    for s, k, g, _ in table:
        if g["errors"]:
            problems.append(f"{NAMES[s]} {k}: {g['errors']} errors, e.g. {g['error_kinds']}")
        if g["notes"]:
            problems.append(f"{NAMES[s]} {k}: answered with notes {g['notes']}")
    offline = (f"DNS queries that reached the loopback sink: {meta['dns_queries']} "
               f"(Rspamd tasks logging a DNS request: {meta['rspamd_tasks_with_dns']})")
    passes = (f"one warm-up pass (discarded), then {meta['runs']} measured passes per system and kind, "
              f"{meta['concurrency']} concurrent clients, one TCP connection per message; in a measured "
              f"pass redflag and Rspamd get the sample {meta['repeat_fast']} times over, spamd once")

    # ---- Markdown
    L = [f"# redflag vs Rspamd vs SpamAssassin: server CPU per message ({meta['date']})", ""]
    L.append(f"- Machine: {meta['cpu_model']}, nproc {meta['nproc']}, CLK_TCK {meta['clk_tck']}, "
             f"load average {meta['loadavg']}")
    L.append(f"- redflag: {meta['redflag_version']}; Rspamd {meta['rspamd_version']}; "
             f"SpamAssassin {meta['sa_version']}, rules from {meta['sa_rules']}")
    L.append(f"- Sample: {sample['emails']} emails and {sample['sms']} SMS from the corpus (fixed: evenly "
             f"spaced by id within each source/label group, duplicates skipped); the same bytes go to "
             f"all three, SMS wrapped as a minimal RFC 5322 mail for the peers")
    L.append(f"- Passes: {passes}")
    L.append("- Server CPU = utime+stime (+ reaped children) of the server's whole process tree from "
             "/proc/<pid>/stat, read before and after each measured pass; the client is another "
             "process and is not in it")
    L.append(f"- Offline: {offline}")
    L.append("")
    L.append("| " + " | ".join(hdrs) + " |")
    L.append("|---|---|" + "---:|" * 2 + "---|" + "---:|" * 4)
    for r in rows:
        L.append("| " + " | ".join(r) + " |")
    L.append("")
    L.append("Ratios of server CPU per message, peer / redflag (full report, assessment only, and for "
             "emails the raw email endpoint):")
    L.append("")
    for line in ratio_lines:
        L.append("- " + line)
    if floor_rows:
        md_table(L, "The transport's floor: server CPU per request for requests that carry no check, "
                 "sent the same way (one new TCP connection each, the same clients):",
                 ["request", "kind", "server CPU ms/request", "per pass", "answered/sent", "errors"],
                 "|---|---|---:|---|---:|---:|", floor_rows)
        L.append("")
        for line in bound_lines:
            L.append("- " + line)
    if cli:
        L.append("")
        L.append("redflag as one batch process (`redflag eval` over the same sample; start-up and model "
                 "load included; it uses every core):")
        L.append("")
        L.append("| kind | msgs | process CPU s | ms/msg incl. start-up | start-up alone (1-message run) ms "
                 "| ms/msg without start-up |")
        L.append("|---|---:|---:|---:|---:|---:|")
        for r in cli:
            L.append(f"| {r['kind']} | {r['messages']} | {r['cpu_s']:.3f} | {r['cpu_ms_per_msg']:.3f} | "
                     f"{1000 * r['startup_cpu_s']:.0f} | {r['cpu_ms_per_msg_minus_startup']:.3f} |")
    md_table(L, "Detection cross-check (informative only, not the point of this benchmark; each system's "
             "own threshold: redflag verdict scam or suspicious, Rspamd action other than `no action`, "
             "spamd `Spam: True`), flagged / total by corpus label:",
             ["system", "kind", "scam", "spam", "legit"], "|---|---|---:|---:|---:|", det_rows)
    if problems:
        L.append("")
        L.append("Errors and notes:")
        L.append("")
        for p in problems:
            L.append("- " + p)
    L.append("")
    L.append(f"The run took {meta['elapsed']} s. How it is set up: docs/peers.md.")
    with open(a.md, "w") as f:
        f.write("\n".join(L) + "\n")

    # ---- terminal
    print()
    print(f"date {meta['date']}   nproc {meta['nproc']}   CPU {meta['cpu_model']}   load average {meta['loadavg']}")
    print(f"redflag {meta['redflag_version']}")
    print(f"Rspamd {meta['rspamd_version']}")
    print(f"SpamAssassin {meta['sa_version']}, rules from {meta['sa_rules']}")
    print(f"passes: {passes}")
    print(f"offline: {offline}")
    print()
    w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(hdrs)]
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(hdrs)))
    print("  ".join("-" * x for x in w))
    for r in rows:
        print("  ".join(c.ljust(w[i]) if i < 2 else c.rjust(w[i]) for i, c in enumerate(r)))
    print()
    for line in ratio_lines:
        print("ratio (server CPU/msg), " + line)
    if floor_rows:
        print()
        print("transport floor (no check; one new connection per request), server CPU ms/request:")
        fw = max(len(r[0]) for r in floor_rows)
        for r in floor_rows:
            print(f"  {r[0].ljust(fw)}  {r[1]:5}  {r[2]:>7}  ({r[3]}; answered {r[4]}, errors {r[5]})")
        for line in bound_lines:
            print("bound, " + line)
    if cli:
        print()
        for r in cli:
            print(f"redflag eval, one process, {r['kind']:5}: {r['messages']} msgs, {r['cpu_s']:.3f} s CPU = "
                  f"{r['cpu_ms_per_msg']:.3f} ms/msg with start-up; start-up alone {1000 * r['startup_cpu_s']:.0f} ms; "
                  f"without it {r['cpu_ms_per_msg_minus_startup']:.3f} ms/msg")
    print()
    print("detection cross-check (informative only), flagged / total by label:")
    dw = [max(len(r[i]) for r in det_rows) for i in range(2)]
    for r in det_rows:
        print(f"  {r[0].ljust(dw[0])}  {r[1].ljust(dw[1])}  scam {r[2]:>8}  spam {r[3]:>7}  legit {r[4]:>8}")
    for p in problems:
        print("  " + p)
    print()
    print(f"markdown: {a.md}")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--corpus", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--emails", type=int, default=300)
    s.add_argument("--sms", type=int, default=300)
    s = sub.add_parser("freeports")
    s.add_argument("n", type=int)
    s = sub.add_parser("dnssink")
    s.add_argument("--port-file", required=True)
    s.add_argument("--log", required=True)
    s = sub.add_parser("ping")
    s.add_argument("--system", required=True, choices=list(NAMES))
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--pid", type=int)
    s.add_argument("--timeout", type=float, default=120)
    s = sub.add_parser("waitidle")
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--name", required=True)
    s.add_argument("--timeout", type=float, default=240)
    s.add_argument("--max-pct", type=float, default=3.0)
    s.add_argument("--quiet", type=int, default=3)
    s = sub.add_parser("run")
    s.add_argument("--system", required=True, choices=list(NAMES) + list(FLOOR_NAMES))
    s.add_argument("--kind", required=True, choices=["email", "sms"])
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--dir", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--pass-name", required=True)
    s.add_argument("--concurrency", type=int, default=2)
    s.add_argument("--repeat", type=int, default=1)
    s.add_argument("--timeout", type=float, default=60, help="per message, seconds")
    s.add_argument("--deadline", type=float, default=600, help="per batch, seconds")
    s.add_argument("--clk-tck", default=str(os.sysconf("SC_CLK_TCK")))
    s = sub.add_parser("cli")
    s.add_argument("--bin", required=True)
    s.add_argument("--kind", required=True, choices=["email", "sms"])
    s.add_argument("--dir", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--pass-name", default="run1")
    s.add_argument("--timeout", type=float, default=600)
    s.add_argument("--no-model", action="store_true")
    s = sub.add_parser("report")
    s.add_argument("--results", required=True)
    s.add_argument("--meta", required=True)
    s.add_argument("--sample", required=True)
    s.add_argument("--md", required=True)
    a = p.parse_args()
    return {"sample": cmd_sample, "freeports": cmd_freeports, "dnssink": cmd_dnssink, "ping": cmd_ping,
            "waitidle": cmd_waitidle, "run": cmd_run, "cli": cmd_cli, "report": cmd_report}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
