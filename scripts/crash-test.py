#!/usr/bin/env python3
"""Crash-safety check of consultd: SIGKILL at random moments loses nothing and sends nothing twice.

A backlog of mixed documents (requests; clear, vague, deflecting, dissenting and late replies;
extensions; withdrawals; a few malformed files) is applied twice over fresh spools and stores:

  reference   one uninterrupted run, without a journal socket (in a private mount namespace), so
              that only the crash run writes to the journal;
  crash run   the same, killed with SIGKILL at random moments (chosen by progress: after a random
              number of the documents left were applied) and restarted each time, until done.

--mode service (the default) runs the daemon as a service until the backlog has settled (nothing
left in new/, no notice pending), then stops it with SIGTERM; the requests were sent long ago, so
their steps come due as they are applied. Times of emission (a notice's `created`, the ledger's
`at` of sent notices, when a withdrawal ended a duty) differ between any two runs and are set
aside in the comparison. --mode once runs `consultd --once --at T` instead: every time is fixed
and the comparison is byte for byte.

Then it checks: every document is in done/ or rejected/ exactly once and none is left in new/;
`consultctl verify` (beside the binary) finds every applied document's bytes in done/;
the store holds exactly what the reference holds (consultations, duties, ledger, documents);
the outbox holds exactly the reference's notices, byte for byte; the journal holds each notice
of the crash run at least once and at most twice (duplicates are counted and reported).

  scripts/crash-test.py --documents 5000 --kills 50        # the full run (service mode)
  scripts/crash-test.py --mode once                        # fixed time, byte-for-byte comparison
  scripts/crash-test.py --documents 500 --kills 10         # the test suite's short form

Needs root (mount namespace, a journald) and the built binary (.build/debug/consultd, or
--binary). Prints the figures and "N passed, M failed"; exits 1 when a check failed.
"""
import argparse
import json
import re
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENCIES = ["SXD", "STC", "STP", "SYT", "SCT", "SNV"]
AT = "2025-04-30T10:00:00+07:00"


def config(site):
    lines = [
        'spool = "spool"', 'state = "state.sqlite"', f'calendar = "{ROOT}/config/calendars/vn.toml"',
        'authorization = "off"', "", "[leadership]", 'contacts = ["leaders@example.vn"]',
    ]
    for code in AGENCIES:
        lines += ["", f"[agencies.{code}]", f'name = "Agency {code}"',
                  f'office = ["office.{code.lower()}@example.vn"]', f'head = ["head.{code.lower()}@example.vn"]']
    with open(os.path.join(site, "consultd.toml"), "w") as f:
        f.write("\n".join(lines) + "\n")


def backlog(count, tag, seed):
    """(name, text) pairs: about a third requests, the rest answers to them, some noise."""
    rng = random.Random(seed)
    docs, requests = [], []
    for i in range(count):
        roll = rng.random()
        if not requests or roll < 0.33:
            rid = f"{tag}-R{i:05d}"
            consulted = rng.sample(AGENCIES[1:], rng.randint(1, 3))
            day = rng.randint(1, 28)
            doc = {"kind": "request", "id": rid, "title": f"Đề án {i}", "lead": "SXD", "consulted": consulted,
                   "sent": f"2025-03-{day:02d}T09:00:00+07:00"}
            if rng.random() < 0.5:
                doc["reply_days"] = rng.randint(2, 12)
            else:
                doc["deadline"] = f"2025-04-{rng.randint(1, 25):02d}"
            requests.append((rid, consulted))
        elif roll < 0.85:
            rid, consulted = rng.choice(requests)
            agency = rng.choice(consulted)
            kind = rng.choice(["clear", "clear", "vague", "deflection", "disagree", "late"])
            month = 5 if kind == "late" else rng.choice([3, 4])
            doc = {"kind": "reply", "request": rid, "agency": agency,
                   "received": f"2025-{month:02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 17):02d}:00:00+07:00"}
            if kind in ("clear", "late"):
                doc.update(position="agree")
            elif kind == "vague":
                doc.update(position="agree", text="Về cơ bản thống nhất với dự thảo.")
            elif kind == "deflection":
                doc.update(position="outside_competence")
            else:
                doc.update(position="disagree", comments=[f"Không thống nhất Điều {rng.randint(1, 20)} vì trái Luật Đầu tư công."])
        elif roll < 0.93:
            rid, _ = rng.choice(requests)
            doc = {"kind": "extension", "request": rid, "deadline": f"2025-04-{rng.randint(10, 28):02d}", "reason": "bổ sung hồ sơ"}
        elif roll < 0.98:
            rid, consulted = rng.choice(requests)
            doc = {"kind": "withdrawal", "request": rid, "reason": "điều chỉnh phạm vi"}
            if rng.random() < 0.5:
                doc["agencies"] = [rng.choice(consulted)]
        else:
            docs.append((f"{i:05d}-broken.json", '{"kind": "reply", '))
            continue
        docs.append((f"{i:05d}-{doc['kind']}.json", json.dumps(doc, ensure_ascii=False)))
    return docs


def prepare(site, docs):
    os.makedirs(os.path.join(site, "spool", "new"))
    config(site)
    for name, text in docs:
        with open(os.path.join(site, "spool", "new", name), "w", encoding="utf-8") as f:
            f.write(text)


def notify_socket(site):
    """A datagram socket standing in for systemd's NOTIFY_SOCKET, fresh for each run."""
    path = os.path.join(site, f"notify-{uuid.uuid4().hex[:8]}")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    return sock, path


def start(binary, site, mode, journal=True):
    command = [binary, "--config", os.path.join(site, "consultd.toml")]
    env = dict(os.environ)
    notify = None
    if mode == "once":
        command += ["--once", "--at", AT]
    else:
        notify, env["NOTIFY_SOCKET"] = notify_socket(site)
    if not journal:
        script = 'mkdir -p /run/systemd/journal && mount -t tmpfs none /run/systemd/journal && exec "$@" 2>/dev/null'
        command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"] + command
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    process.notify = notify
    return process


def ready(process):
    """Whether the service said READY=1 (messages are read as they come; the socket never fills)."""
    while True:
        try:
            message = process.notify.recv(4096).decode()
        except BlockingIOError:
            return getattr(process, "was_ready", False)
        if "READY=1" in message:
            process.was_ready = True


def settled(site):
    """Nothing left to apply, no step left due, nothing left to deliver.

    Intake can empty new/ before the ladder has caught up with the steps the backlog made due:
    stopping then would make the run's result depend on the machine's speed.
    """
    if os.listdir(os.path.join(site, "spool", "new")):
        return False
    try:
        db = sqlite3.connect(f"file:{os.path.join(site, 'state.sqlite')}?mode=ro", uri=True, timeout=5)
        due = db.execute("SELECT count(*) FROM consultations WHERE next_step_at IS NOT NULL AND next_step_at <= ?",
                         (int(time.time()),)).fetchone()[0]
        pending = db.execute("SELECT count(*) FROM ledger WHERE delivered = 0").fetchone()[0]
        db.close()
        return due == 0 and pending == 0
    except sqlite3.Error:
        return False


def run_to_the_end(process, site, mode):
    """Waits for a run to finish its work; a service is then stopped with SIGTERM."""
    if mode == "once":
        return process.wait() == 0
    # Stopped only once it said READY: before that, SIGTERM finds no handler yet.
    while process.poll() is None and not (ready(process) and settled(site)):
        time.sleep(0.05)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGTERM)
    return process.wait() == 0


def without_times(payload):
    """An outbox notice without its time of emission (and, for a backdated-reply, without the
    instants its body names: one is when the step it contradicts was sent)."""
    notice = json.loads(payload)
    notice.pop("created", None)
    if notice.get("event") == "backdated-reply" and isinstance(notice.get("body"), str):
        notice["body"] = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", "TIME", notice["body"])
    return json.dumps(notice, sort_keys=True, ensure_ascii=False)


def dump(site, mode):
    """The store's meaning, table by table (row order made canonical)."""
    db = sqlite3.connect(f"file:{os.path.join(site, 'state.sqlite')}?mode=ro", uri=True)
    timed = mode == "service"
    tables = {
        "consultations": "SELECT id, title, lead, consulted, sent, urgency, reply_days, deadline, state FROM consultations",
        "duties": "SELECT consultation, kind, agency, party, due, basis, status, verdict, reasons, first_verdict, latest_reply_at, "
                  + ("CASE WHEN status = 'withdrawn' THEN NULL ELSE ended_at END" if timed else "ended_at")
                  + ", days_late, next_step_at FROM duties",
        "ledger": "SELECT notice_id, consultation, agency, event, step, status, skip_reason, late_detected, "
                  + ("CASE WHEN status = 'sent' THEN NULL ELSE at END" if timed else "at")
                  + ", priority, payload, delivered FROM ledger",
        "documents": "SELECT hash, file, kind, consultation, agency, received, position, verdict, reasons FROM documents",
    }
    out = {}
    for name, sql in tables.items():
        rows = db.execute(sql).fetchall()
        if timed and name == "ledger":
            rows = [row[:10] + ((without_times(row[10]) if row[10] else None),) + row[11:] for row in rows]
        out[name] = sorted(map(repr, rows))
    db.close()
    return out


def files(site, sub):
    base = os.path.join(site, "spool", sub)
    found = {}
    for folder, _, names in os.walk(base):
        # Dot-folders are the daemon's staging (done/.tmp/DATE.PID.N holds the submitters' files
        # until the copies are durable, and may be left for the next start), never the archive.
        if any(part.startswith(".") for part in os.path.relpath(folder, base).split(os.sep) if part != "."):
            continue
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, base)] = f.read()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20250430)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "consultd"))
    parser.add_argument("--mode", choices=["service", "once"], default="service")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tag = "CR" + uuid.uuid4().hex[:6].upper()
    docs = backlog(args.documents, tag, args.seed)
    work = tempfile.mkdtemp(prefix="consultd-crash-")
    reference, crashed = os.path.join(work, "reference"), os.path.join(work, "crashed")
    prepare(reference, docs)
    prepare(crashed, docs)

    started = time.monotonic()
    if not run_to_the_end(start(args.binary, reference, args.mode, journal=False), reference, args.mode):
        print("FAIL - the reference run failed")
        return 1
    duration = time.monotonic() - started
    print(f"     reference run ({args.mode}): {len(docs)} documents in {duration:.2f} s")

    kills = 0
    runs = 0
    while True:
        runs += 1
        # A random moment of this run's life, chosen by progress: after a random number of the
        # documents left have been applied (or, when hardly any are left, early in start-up).
        new = os.path.join(crashed, "spool", "new")
        left = len(os.listdir(new))
        process = start(args.binary, crashed, args.mode)
        if kills < args.kills:
            if left > 2:
                target = left - rng.randint(1, left - 1)
                while process.poll() is None and len(os.listdir(new)) > target:
                    time.sleep(0.002)
            else:
                time.sleep(rng.uniform(0.001, 0.03))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                continue
        if run_to_the_end(process, crashed, args.mode):
            break
        if runs > args.kills + 20:
            print("FAIL - the crash run never completed")
            return 1
    print(f"     crash run: {kills} SIGKILLs over {runs} runs")

    passed = failed = 0

    def check(description, ok):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("ok   - " if ok else "FAIL - ") + description)

    done = files(crashed, "done")
    rejected = {k: v for k, v in files(crashed, "rejected").items() if not k.endswith(".error.json")}
    names = sorted([os.path.basename(k) for k in done] + list(rejected))
    check("nothing is left in new/", not os.listdir(os.path.join(crashed, "spool", "new")))
    check(f"every document is in done/ or rejected/ exactly once ({len(names)} of {len(docs)})",
          names == sorted(name for name, _ in docs))
    check("the same documents were refused as in the reference",
          sorted(rejected) == sorted(k for k in files(reference, "rejected") if not k.endswith(".error.json")))
    # The archive holds, for every document applied, the bytes the store has the hash of.
    verify = subprocess.run([os.path.join(os.path.dirname(args.binary), "consultctl"), "--config",
                             os.path.join(crashed, "consultd.toml"), "verify"], capture_output=True, text=True)
    check("consultctl verify finds every applied document in done/, byte for byte",
          verify.returncode == 0 or print(verify.stdout[-2000:], verify.stderr[-500:]))
    a, b = dump(reference, args.mode), dump(crashed, args.mode)
    for table in a:
        check(f"the store's {table} equal the reference ({len(a[table])} rows)", a[table] == b[table])
    ref_outbox, crash_outbox = files(reference, "outbox"), files(crashed, "outbox")
    if args.mode == "service":
        ref_outbox = {k: without_times(v) for k, v in ref_outbox.items()}
        crash_outbox = {k: without_times(v) for k, v in crash_outbox.items()}
    check(f"the outbox holds exactly the reference's notices ({len(ref_outbox)})"
          + (", byte for byte" if args.mode == "once" else ", times of emission aside"), ref_outbox == crash_outbox)

    sent = {row[0] for row in sqlite3.connect(os.path.join(reference, "state.sqlite")).execute(
        "SELECT notice_id FROM ledger WHERE status = 'sent'")}
    seen = {}
    time.sleep(0.5)
    out = subprocess.run(["journalctl", "-o", "json", "--no-pager", "SYSLOG_IDENTIFIER=consultd"],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        entry = json.loads(line)
        notice = entry.get("CONSULT_NOTICE_ID")
        if isinstance(notice, str) and notice.startswith(tag):
            seen[notice] = seen.get(notice, 0) + 1
    twice = sum(1 for n in seen.values() if n == 2)
    more = sum(1 for n in seen.values() if n > 2)
    print(f"     journal: {len(sent)} notices sent, {len(seen)} seen, {twice} written twice, {more} more often")
    check("the journal holds every notice at least once", sent <= set(seen))
    check("… and none more than twice", more == 0)
    check("… and nothing that was not sent", set(seen) <= sent)

    shutil.rmtree(work)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
