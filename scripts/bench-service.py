#!/usr/bin/env python3
"""Service-mode figures for scripts/bench.sh (issue 6): one line per figure, each with its target.

usage: bench-service.py BIN_DIR WORK_DIR SHARED_BENCH_DIR CALENDAR FIGURE...
FIGURE: scale | latency | firing | idle

  scale    1,000,000 open reply duties (make_backlog.py: 100,000 requests x 10 agencies, taken in by
           `consultd --once`): time to READY=1 and peak RSS over the next 10 s of a service
           started on that store (median of 3, each on a fresh copy: every step is due by now, so
           the service is catching up), the next-step lookup (the daemon's query, through its
           index; mean of 10,000), and `consultctl list --overdue` (every duty is overdue: the
           worst case; median of 3).
  latency  a service fed 200 documents/s for 10 s: time from each rename into new/ to its
           `accepted` journal entry (journald's receive time), p50 / p99 / max.
  firing   1,000 requests whose reminders all fall due at the next office opening, 30-90 s
           ahead (a calendar that makes today a working day, the time zone UTC): how late each
           reminder reaches the journal after its instant; worst and p50.
  idle     a service with nothing to do for 60 s (WatchdogSec=30 s): CPU time from
           /proc/PID/stat, and its wakeups (epoll_wait calls, counted by strace).

Needs a running journald (read back with journalctl) and root (it reads every journal entry)."""
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

BIN, WORK, SHARED, CALENDAR = sys.argv[1:5]
FIGURES = sys.argv[5:]
TICKS = os.sysconf("SC_CLK_TCK")


def config(site, extra="", calendar=CALENDAR, office=True):
    lines = [f'spool = "{site}/spool"', f'state = "{site}/state.sqlite"', f'outbox = "{site}/outbox"',
             f'calendar = "{calendar}"', 'authorization = "off"', extra]
    for code in [f"A{i:02d}" for i in range(30)] + [f"L{i}" for i in range(10)]:
        lines += [f"[agencies.{code}]", f'name = "{code}"'] + ([f'office = ["{code.lower()}@example.vn"]'] if office else [])
    path = f"{site}/consultd.toml"
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


class Service:
    """consultd in service mode with a notify socket, as systemd would run it."""

    def __init__(self, cfg, watchdog_usec=30_000_000):
        self.path = f"/tmp/consultd-bench-notify-{os.getpid()}-{time.monotonic_ns()}.sock"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        env = dict(os.environ, NOTIFY_SOCKET=self.path, WATCHDOG_USEC=str(watchdog_usec))
        self.started = time.monotonic()
        self.proc = subprocess.Popen([f"{BIN}/consultd", "--config", cfg], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env["WATCHDOG_PID"] = str(self.proc.pid)

    def wait_ready(self, timeout=60):
        self.sock.settimeout(timeout)
        while True:
            if "READY=1" in self.sock.recv(65536).decode():
                return time.monotonic() - self.started

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.sock.close()
        os.unlink(self.path)


def journal(pid, event):
    out = subprocess.run(["journalctl", "-o", "json", "--no-pager", "SYSLOG_IDENTIFIER=consultd", f"_PID={pid}",
                          f"CONSULT_EVENT={event}"], capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def wait_journal(pid, event, count, timeout=120):
    end = time.monotonic() + timeout
    while True:
        entries = journal(pid, event)
        if len(entries) >= count or time.monotonic() > end:
            return entries
        time.sleep(0.5)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def hand_off(spool, name, doc):
    with open(f"{spool}/tmp/{name}", "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    os.rename(f"{spool}/tmp/{name}", f"{spool}/new/{name}")


def scale():
    site = f"{WORK}/scale"
    os.makedirs(site)
    cfg = config(site)
    subprocess.run([sys.executable, f"{SHARED}/make_backlog.py", f"{site}/spool", "100000", "10"], check=True)
    subprocess.run([f"{BIN}/consultd", "--config", cfg, "--once", "--at", "2025-03-03T18:00:00+07:00"],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(f"{site}/spool/done")
    pristine = f"{site}/pristine.sqlite"
    subprocess.run(["sqlite3", f"{site}/state.sqlite", f".backup {pristine}"], check=True)
    duties = subprocess.run(["sqlite3", pristine, "SELECT count(*) FROM duties WHERE status = 'open'"],
                            capture_output=True, text=True, check=True).stdout.strip()

    # The daemon's next-step queries (StoreTransaction.nextStepInstant / consultationsWithStepsDue).
    import sqlite3
    db = sqlite3.connect(pristine)
    queries = ["SELECT MIN(next_step_at) FROM duties WHERE next_step_at IS NOT NULL",
               "SELECT DISTINCT consultation FROM (SELECT consultation FROM duties WHERE next_step_at IS NOT NULL"
               " AND next_step_at <= 1741000000 ORDER BY next_step_at LIMIT 200)"]
    costs = []
    for q in queries:
        plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + q))
        assert "USING" in plan and "INDEX" in plan, plan
        start = time.perf_counter()
        for _ in range(10_000):
            db.execute(q).fetchall()
        costs.append((time.perf_counter() - start) / 10_000 * 1e6)
    db.close()
    print(f"scale: next-step lookup with {duties} open duties: {costs[0]:.1f} us (first due), "
          f"{costs[1]:.1f} us (due batch), through duties_next_step (target well under 1 ms)")

    times, rows = [], 0
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run([f"{BIN}/consultctl", "--config", cfg, "list", "--overdue"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        rows = out.stdout.count(b"\n") - 1
    print(f"scale: consultctl list --overdue, {rows} consultations / {duties} duties overdue: "
          f"median {statistics.median(times):.2f} s (target < 1 s)")

    readies, peaks = [], []
    for _ in range(3):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{site}/state.sqlite{suffix}"):
                os.unlink(f"{site}/state.sqlite{suffix}")
        shutil.copy(pristine, f"{site}/state.sqlite")
        service = Service(cfg)
        readies.append(service.wait_ready())
        peak, end = 0.0, time.monotonic() + 10
        while time.monotonic() < end:
            peak = max(peak, service.rss_mib())
            time.sleep(0.05)
        peaks.append(peak)
        service.stop()
    print(f"scale: READY with {duties} open duties: median {statistics.median(readies) * 1000:.0f} ms (target < 2 s); "
          f"peak RSS over the next 10 s (catching up every step due): median {statistics.median(peaks):.0f} MiB "
          f"(target < 256 MiB)")


def latency():
    site = f"{WORK}/latency"
    for sub in ("spool/tmp", "spool/new"):
        os.makedirs(f"{site}/{sub}")
    service = Service(config(site))
    service.wait_ready()
    renamed = {}
    rate, seconds = 200, 10
    start = time.monotonic()
    for i in range(rate * seconds):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        name = f"lat-{i:05d}.json"
        hand_off(f"{site}/spool", name, {
            "kind": "request", "id": f"LAT-{i:05d}", "title": f"Dự thảo số {i}", "lead": f"L{i % 10}",
            "consulted": [f"A{(i + k) % 30:02d}" for k in range(3)], "sent": "2025-03-03T09:00:00+07:00",
            "reply_days": 10})
        renamed[name] = time.time()
    achieved = rate * seconds / (time.monotonic() - start)
    entries = wait_journal(service.proc.pid, "accepted", rate * seconds)
    service.stop()
    lags = [int(e["__REALTIME_TIMESTAMP"]) / 1e6 - renamed[e["CONSULT_FILE"]] for e in entries if e.get("CONSULT_FILE") in renamed]
    ms = [x * 1000 for x in lags]
    print(f"latency at {achieved:.0f} documents/s ({len(ms)} of {rate * seconds} documents): rename -> journal entry "
          f"p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms (target p99 < 50 ms)")


def firing():
    site = f"{WORK}/firing"
    for sub in ("spool/tmp", "spool/new"):
        os.makedirs(f"{site}/{sub}")
    now = dt.datetime.now(dt.timezone.utc)
    opening = (now + dt.timedelta(seconds=90)).replace(second=0, microsecond=0)
    if opening.date() != now.date():
        raise SystemExit("firing: too close to midnight UTC; run again in a few minutes")
    today = opening.date()
    # A calendar where today and the next days are working days, whatever the weekday.
    calendar = f"{site}/calendar.toml"
    with open(calendar, "w") as f:
        f.write(f'name = "bench"\nyears = [{today.year}, {today.year + 1}]\n')
        for k in range(8):
            day = today + dt.timedelta(days=k)
            if day.weekday() >= 5:
                f.write(f'[[workday]]\ndate = {day.isoformat()}\nname = "bench"\n')
    cfg = config(site, extra=f'timezone = "UTC"\n[policy]\noffice_open = "{opening:%H:%M}"', calendar=calendar)
    # Reminder = deadline minus 2 working days = today, at office opening.
    deadline = today + dt.timedelta(days=2)
    sent = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    for i in range(1000):
        hand_off(f"{site}/spool", f"fire-{i:04d}.json", {
            "kind": "request", "id": f"FIRE-{i:04d}", "title": f"Dự thảo số {i}", "lead": f"L{i % 10}",
            "consulted": [f"A{i % 30:02d}"], "sent": sent, "deadline": deadline.isoformat()})
    service = Service(cfg)
    service.wait_ready()
    time.sleep(max(0, opening.timestamp() - time.time()) + 5)
    entries = wait_journal(service.proc.pid, "reminder", 1000, timeout=60)
    service.stop()
    late = [int(e["__REALTIME_TIMESTAMP"]) / 1e6 - opening.timestamp() for e in entries]
    print(f"firing: {len(late)} reminders due at {opening:%H:%M:%S} UTC (with outbox files): lateness worst "
          f"{max(late) * 1000:.0f} ms, p50 {percentile(late, 50) * 1000:.0f} ms, earliest {min(late) * 1000:.0f} ms "
          f"(target worst <= 1 s, never early)")


def idle():
    site = f"{WORK}/idle"
    for sub in ("spool/tmp", "spool/new"):
        os.makedirs(f"{site}/{sub}")
    service = Service(config(site))
    service.wait_ready()
    time.sleep(5)
    before = service.cpu_seconds()
    trace = subprocess.Popen(["strace", "-f", "-c", "-e", "trace=epoll_wait", "-o", f"{site}/strace.txt",
                              "-p", str(service.proc.pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(60)
    after = service.cpu_seconds()
    trace.terminate()
    trace.wait()
    service.stop()
    wakes = 0
    with open(f"{site}/strace.txt") as f:
        for line in f:
            if line.strip().endswith("epoll_wait"):
                wakes = int(line.split()[3])
    print(f"idle: {(after - before) * 1000:.0f} ms of CPU over 60 s, {wakes} wakeups "
          f"(watchdog every 15 s, rescan every 60 s: 4 to 6 expected; target < 10 ms)")


for figure in FIGURES:
    {"scale": scale, "latency": latency, "firing": firing, "idle": idle}[figure]()
