#!/usr/bin/env python3
"""Service-mode figures for scripts/bench.sh (issue 6): one line per figure, each with its target.

usage: bench-service.py BIN_DIR WORK_DIR SHARED_BENCH_DIR CALENDAR FIGURE...
FIGURE: scale | latency | firing | idle

  scale    1,000,000 open reply duties (100,000 requests x 10 agencies, taken in by `consultd
           --once`). Sent in March 2025 (make_backlog.py), so that every duty is overdue today:
           `consultctl list --overdue` in that worst case (median of 3) and the next-step lookup
           (the daemon's queries, through their index; mean of 10,000). Sent today, so that no
           step is due yet: time to READY=1 and RSS 10 s later (median of 3).
  latency  a service fed 200 requests/s for 10 s (sent now: no step due): time from each rename
           into new/ to its `accepted` journal entry (journald's receive time), p50 / p99 / max.
  firing   1,000 requests whose reminders all fall due at the next office opening, 30-90 s
           ahead (a calendar that makes today a working day, the time zone UTC): how late each
           reminder reaches the journal after its instant; worst and p50.
  idle     a service that has taken in 200 documents, then has nothing to do for 60 s
           (WatchdogSec=30 s): CPU time from /proc/PID/stat (and schedstat, in ns), and how
           often each thread woke (its voluntary context switches: each sleep that ended).

Needs a running journald (read back with journalctl) and root (it reads every journal entry)."""
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
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
        self.ready = threading.Event()
        self.ready_after = None
        # Read every message, as systemd does: a notify socket left full blocks the sender.
        threading.Thread(target=self.listen, daemon=True).start()

    def listen(self):
        while True:
            try:
                message = self.sock.recv(65536).decode()
            except OSError:
                return
            if "READY=1" in message and not self.ready.is_set():
                self.ready_after = time.monotonic() - self.started
                self.ready.set()

    def wait_ready(self, timeout=60):
        if not self.ready.wait(timeout):
            raise SystemExit("consultd did not send READY=1")
        return self.ready_after

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0

    def threads(self):
        """Each thread's name, on-CPU time in seconds (schedstat, in ns) and the times it went to
        sleep (voluntary context switches), by thread id."""
        found = {}
        for task in os.listdir(f"/proc/{self.proc.pid}/task"):
            folder = f"/proc/{self.proc.pid}/task/{task}"
            with open(f"{folder}/comm") as f:
                name = f.read().strip()
            with open(f"{folder}/schedstat") as f:
                cpu = int(f.read().split()[0]) / 1e9
            with open(f"{folder}/status") as f:
                switches = next(int(line.split()[1]) for line in f if line.startswith("voluntary_ctxt_switches"))
            found[task] = (name, cpu, switches)
        return found

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


def new_site(name):
    site = f"{WORK}/{name}"
    for sub in ("spool/tmp", "spool/new"):
        os.makedirs(f"{site}/{sub}")
    return site


def open_duties(store):
    return subprocess.run(["sqlite3", store, "SELECT count(*) FROM duties WHERE status = 'open'"],
                          capture_output=True, text=True, check=True).stdout.strip()


def scale():
    site = f"{WORK}/scale"
    os.makedirs(site)
    cfg = config(site)
    subprocess.run([sys.executable, f"{SHARED}/make_backlog.py", f"{site}/spool", "100000", "10"], check=True)
    subprocess.run([f"{BIN}/consultd", "--config", cfg, "--once", "--at", "2025-03-03T18:00:00+07:00"],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(f"{site}/spool/done")
    pristine = f"{site}/state.sqlite"
    duties = open_duties(pristine)

    # The daemon's next-step queries (StoreTransaction.nextStepInstant / consultationsWithStepsDue).
    import sqlite3
    db = sqlite3.connect(pristine)
    queries = ["SELECT MIN(next_step_at) FROM consultations WHERE next_step_at IS NOT NULL",
               "SELECT id FROM consultations WHERE next_step_at IS NOT NULL"
               " AND next_step_at <= 1741000000 ORDER BY next_step_at LIMIT 200"]
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
          f"{costs[1]:.1f} us (due batch), through consultations_next_step (target well under 1 ms)")

    times, rows = [], 0
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run([f"{BIN}/consultctl", "--config", cfg, "list", "--overdue"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        rows = out.stdout.count(b"\n") - 1
    print(f"scale: consultctl list --overdue, {rows} consultations / {duties} duties overdue: "
          f"median {statistics.median(times):.2f} s (target < 1 s)")

    # The same numbers of requests and duties, sent now: a service with nothing due yet.
    site = new_site("scale-today")
    cfg = config(site)
    rng = random.Random(42)
    sent = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    agencies = [f"A{i:02d}" for i in range(30)]
    for i in range(100_000):
        hand_off(f"{site}/spool", f"req-{i:07d}.json", {
            "kind": "request", "id": f"TODAY-{i:07d}", "title": f"Dự thảo kế hoạch số {i} về cải cách hành chính",
            "lead": f"L{i % 10}", "consulted": rng.sample(agencies, 10), "sent": sent, "reply_days": rng.choice([10, 15])})
    subprocess.run([f"{BIN}/consultd", "--config", cfg, "--once"], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(f"{site}/spool/done")
    duties = open_duties(f"{site}/state.sqlite")
    readies, rss = [], []
    for _ in range(3):
        service = Service(cfg)
        readies.append(service.wait_ready())
        time.sleep(10)
        rss.append(service.rss_mib())
        service.stop()
    print(f"scale: READY with {duties} open duties: median {statistics.median(readies) * 1000:.0f} ms (target < 2 s); "
          f"RSS 10 s later: median {statistics.median(rss):.0f} MiB (target < 256 MiB)")


def latency():
    site = new_site("latency")
    service = Service(config(site))
    service.wait_ready()
    renamed = {}
    rate, seconds = 200, 10
    sent = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    start = time.monotonic()
    for i in range(rate * seconds):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        name = f"lat-{i:05d}.json"
        hand_off(f"{site}/spool", name, {
            "kind": "request", "id": f"LAT-{i:05d}", "title": f"Dự thảo số {i}", "lead": f"L{i % 10}",
            "consulted": [f"A{(i + k) % 30:02d}" for k in range(3)], "sent": sent, "reply_days": 10})
        renamed[name] = time.time()
    achieved = rate * seconds / (time.monotonic() - start)
    entries = wait_journal(service.proc.pid, "accepted", rate * seconds)
    service.stop()
    lags = [int(e["__REALTIME_TIMESTAMP"]) / 1e6 - renamed[e["CONSULT_FILE"]] for e in entries if e.get("CONSULT_FILE") in renamed]
    ms = [x * 1000 for x in lags]
    print(f"latency at {achieved:.0f} documents/s ({len(ms)} of {rate * seconds} documents): rename -> journal entry "
          f"p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms (target p99 < 50 ms)")


def firing():
    site = new_site("firing")
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
    site = new_site("idle")
    service = Service(config(site))
    service.wait_ready()
    # Take documents in first, so that the intake's threads have run (sent now: no step falls due).
    sent = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M:%S+07:00")
    for i in range(200):
        hand_off(f"{site}/spool", f"idle-{i:03d}.json", {
            "kind": "request", "id": f"IDLE-{i:03d}", "title": "t", "lead": f"L{i % 10}",
            "consulted": [f"A{i % 30:02d}"], "sent": sent, "reply_days": 10})
    wait_journal(service.proc.pid, "accepted", 200)
    time.sleep(5)
    # Untraced (a tracer stops the process at every system call and bills it for the stops).
    before, threads_before = service.cpu_seconds(), service.threads()
    time.sleep(60)
    after, threads_after = service.cpu_seconds(), service.threads()
    service.stop()
    # /proc/PID/stat counts whole clock ticks (10 ms): schedstat gives the same time in ns.
    precise, wakes = 0, {}
    for task, (name, cpu, switches) in threads_after.items():
        _, cpu_before, switches_before = threads_before.get(task, (name, 0, 0))
        precise += cpu - cpu_before
        wakes[name] = wakes.get(name, 0) + switches - switches_before
    loop = wakes.pop("consultd-loop", 0)
    others = ", ".join(f"{name} {count}" for name, count in sorted(wakes.items())) or "none"
    print(f"idle, after taking in 200 documents: {(after - before) * 1000:.0f} ms of CPU over 60 s by /proc/PID/stat ticks, {precise * 1000:.1f} ms by "
          f"schedstat (target < 10 ms); the loop woke {loop} times (watchdog every 15 s, rescan every 60 s); "
          f"the other threads woke: {others}")


for figure in FIGURES:
    {"scale": scale, "latency": latency, "firing": firing, "idle": idle}[figure]()
