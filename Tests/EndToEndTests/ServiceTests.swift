import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Starts `consultd` as a service on a site, reporting to `notify` as systemd's NOTIFY_SOCKET.
func startService(_ site: Site, notify: NotifyListener, watchdogMicroseconds: Int? = nil) throws -> Process {
    let daemon = Process()
    daemon.executableURL = URL(fileURLWithPath: binary("consultd"))
    daemon.arguments = ["--config", site.config]
    var environment = ProcessInfo.processInfo.environment
    environment["NOTIFY_SOCKET"] = notify.path
    if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
    daemon.environment = environment
    daemon.standardError = FileHandle.nullDevice
    try daemon.run()
    return daemon
}

@Suite("consultd as a service, outside systemd", .serialized, .tags(.root, .slow), .skippedWhenFast)
struct ServiceTests {
    @Test func notifyProtocolIntakeReloadAndStop() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let listener = try NotifyListener()
        let daemon = try startService(site, notify: listener, watchdogMicroseconds: 1_000_000)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        // READY as soon as the store is open; the counts once the first pass is done.
        try #require(listener.wait(for: "READY=1") != nil)
        #expect(listener.wait(for: "STATUS=0 open consultations, 0 overdue duties") != nil)
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 3) != nil)

        // A document renamed into new/ is applied promptly.
        let id = "SVC-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: site.root + "/spool/tmp", withIntermediateDirectories: true)
        try """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """.write(toFile: site.root + "/spool/tmp/req.json", atomically: false, encoding: .utf8)
        rename(site.root + "/spool/tmp/req.json", site.root + "/spool/new/req.json")
        #expect(eventually(every: .milliseconds(5)) { site.list("spool/new").isEmpty })
        let accepted = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=accepted"], atLeast: 1)
        #expect(accepted.first?["CONSULT_FILE"] == "req.json")
        // The request arrived long after its steps: catch-up, one notice per duty.
        let escalation = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=escalation-2"], atLeast: 1)
        #expect(escalation.first?["CONSULT_LATE_DETECTED"] == "1")
        #expect(listener.wait(for: "STATUS=1 open consultations, 1 overdue duties, last intake 20") != nil)

        // consultd --once beside the service would fire steps early or twice: refused, nothing
        // taken in by it.
        site.put("beside.json", #"{"kind":"memo"}"#)
        let once = try site.once("2025-04-01T09:00:00+07:00")
        #expect(once.status == 69 && once.stderr.contains("another consultd runs on it"), "\(once.stderr)")
        #expect(eventually { site.list("spool/new").isEmpty }, "the service takes the file in itself")

        // SIGHUP: RELOADING=1 then READY=1.
        kill(daemon.processIdentifier, SIGHUP)
        #expect(listener.wait(for: "RELOADING=1") != nil)
        #expect(listener.wait(for: "READY=1") != nil)

        // A broken config on reload: logged, the old one stays, the service keeps running.
        let original = try String(contentsOfFile: site.config, encoding: .utf8)
        try (original + "\n[policy]\nsilence = \"sometimes\"\n").write(toFile: site.config, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(listener.wait(for: "RELOADING=1") != nil)
        #expect(listener.wait(for: "READY=1") != nil)
        #expect(daemon.isRunning)
        let refused = try journalEntries(["CONSULT_EVENT=config-invalid"], atLeast: 1)
        #expect(refused.last?["MESSAGE"]?.contains("policy.silence") == true)
        try original.write(toFile: site.config, atomically: true, encoding: .utf8)
        let second = "SVC2-" + UUID().uuidString.prefix(8)
        site.put("req2.json", """
            {"kind": "request", "id": "\(second)", "title": "t", "lead": "SXD", "consulted": ["STC"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        #expect(try journalEntries(["CONSULT_ID=\(second)", "CONSULT_EVENT=accepted"], atLeast: 1).count == 1)

        // SIGTERM: STOPPING=1 and a clean exit within 5 s.
        let stopAsked = ContinuousClock.now
        daemon.terminate()
        #expect(listener.wait(for: "STOPPING=1", timeout: 5) != nil)
        #expect(eventually(within: .seconds(5) - (ContinuousClock.now - stopAsked), every: .milliseconds(10)) { !daemon.isRunning })
        #expect(daemon.terminationStatus == 0)
        #expect(daemon.terminationReason == .exit)

        // The order of the protocol.
        let order = listener.messages.compactMap { m in ["READY=1", "WATCHDOG=1", "RELOADING=1", "STOPPING=1"].first { m.contains($0) } }
        #expect(order.first == "READY=1")
        #expect(order.last == "STOPPING=1")
        // Both reloads, the good and the broken one: READY=1 comes right after RELOADING=1.
        let reloads = order.indices.filter { order[$0] == "RELOADING=1" }
        #expect(reloads.count == 2)
        for index in reloads { #expect(order[index + 1] == "READY=1", "\(order)") }
    }
}

/// The idle service sleeps: after a burst is taken in, its metrics written and its archive
/// settled, no thread of it wakes every second. libdispatch's worker pool, once a queue is
/// released (a GRDB connection closed), starts a monitor that did, for the rest of its life.
@Suite("The idle service", .tags(.root, .slow), .skippedWhenFast)
struct IdleServiceTests {
    @Test func noThreadWakesEverySecond() throws {
        try #require(try ensureJournald())
        let textfile = try TemporaryFolder.make("textfile")
        let site = try Site(extra: "[metrics]\ntextfile_dir = \"\(textfile)\"\n")
        let listener = try NotifyListener()
        let daemon = try startService(site, notify: listener)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        try #require(listener.wait(for: "READY=1") != nil)
        for n in 0..<20 {
            site.put("req-\(n).json", """
                {"kind": "request", "id": "IDLE-\(n)", "title": "t", "lead": "SXD", "consulted": ["STC"],
                 "sent": "2025-03-03T09:00:00+07:00", "deadline": "2099-03-10"}
                """)
        }
        #expect(eventually(within: .seconds(20)) { site.list("spool/new").isEmpty })
        #expect(eventually(within: .seconds(20)) { FileManager.default.fileExists(atPath: textfile + "/consultd.prom") })
        // The archive is settled 2 s after the burst: let that pass, then count wake-ups.
        #expect(eventually(within: .seconds(20)) { ((try? FileManager.default.contentsOfDirectory(atPath: site.root + "/spool/done/.tmp")) ?? ["x"]).isEmpty })
        Thread.sleep(forTimeInterval: 1)
        let before = Self.wakeUps(daemon.processIdentifier)
        Thread.sleep(forTimeInterval: 5)
        let after = Self.wakeUps(daemon.processIdentifier)
        let woke = after.compactMap { thread, count in count - (before[thread] ?? 0) > 1 ? "\(thread): \(count - (before[thread] ?? 0))" : nil }
        #expect(woke.isEmpty, "threads that woke more than once in 5 idle seconds: \(woke)")
        // Stopped, its last connection closed: the store checkpointed, no -wal or -shm left.
        daemon.terminate()
        #expect(eventually(within: .seconds(5)) { !daemon.isRunning })
        #expect(daemon.terminationStatus == 0)
        #expect(site.list("state").sorted() == ["state.sqlite"])
    }

    /// Each thread's voluntary context switches (each sleep that ended), by thread id and name.
    static func wakeUps(_ pid: Int32) -> [String: Int] {
        let tasks = "/proc/\(pid)/task"
        var counts: [String: Int] = [:]
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            let name = ((try? String(contentsOfFile: "\(tasks)/\(tid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let status = (try? String(contentsOfFile: "\(tasks)/\(tid)/status", encoding: .utf8)) ?? ""
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("voluntary_ctxt_switches:") }),
                  let count = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) else { continue }
            counts["\(tid) \(name)"] = count
        }
        return counts
    }
}

@Suite("The service's step timer", .tags(.root, .slow), .skippedWhenFast)
struct StepTimerTests {
    /// A one-step ladder due at the next whole minute (UTC, a calendar where today works): the
    /// service sleeps until then and fires the step at its instant, never before — also after
    /// the wall clock was set meanwhile.
    @Test func firesAtTheInstantNeverEarly() throws {
        try #require(try ensureJournald())
        let now = Date()
        let fire = (Int(now.timeIntervalSince1970) / 60 + 1) * 60 + (now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) > 50 ? 60 : 0)
        let fireInstant = Instant(seconds: Int64(fire))
        let day = LocalDate(dayNumber: fire / 86_400)
        let minute = fire % 86_400 / 60
        let site = try Site(extra: "timezone = \"UTC\"")
        var calendar = "years = [\(day.year)]\n"
        if day.isWeekend { calendar += "[[workday]]\ndate = \(day)\nname = \"test\"\n" }
        try calendar.write(toFile: site.root + "/calendar.toml", atomically: true, encoding: .utf8)
        var config = try String(contentsOfFile: site.config, encoding: .utf8)
        config = config.replacingOccurrences(of: "calendar = \"\(repository)/config/calendars/vn.toml\"", with: "calendar = \"calendar.toml\"")
        config += """

            [policy]
            office_open = "\(String(format: "%02d:%02d", minute / 60, minute % 60))"
            [[policy.ladder]]
            duty = "reply"
            step = "ping"
            offset = 0
            priority = "notice"
            notify = ["agency.office"]
            """
        try config.write(toFile: site.config, atomically: true, encoding: .utf8)
        let id = "TIMER-" + UUID().uuidString.prefix(8)
        site.put("req.json", """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC"],
             "sent": "\(Instant(seconds: Int64(now.timeIntervalSince1970) - 3600))", "deadline": "\(day)"}
            """)
        let listener = try NotifyListener()
        let daemon = try startService(site, notify: listener)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try #require(listener.wait(for: "READY=1") != nil)
        try #require(listener.wait(for: "STATUS=1 open consultations") != nil)

        // A wall-clock step: set the clock to what it reads (a step of a few microseconds, so
        // that the other tests running meanwhile are not disturbed). The kernel cancels the
        // daemon's timer (TFD_TIMER_CANCEL_ON_SET) whatever the size of the step: the daemon must
        // say so, decide the steps due at the new time, and arm its timer again — the step below
        // must still fire at its instant.
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let set = clock_settime(CLOCK_REALTIME, &clock)
        try #require(set == 0, "cannot set the clock (needs CAP_SYS_TIME): \(String(cString: strerror(errno)))")
        let noticed = try eventually(every: .milliseconds(100)) {
            try journalEntries(["_PID=\(daemon.processIdentifier)"], atLeast: 1)
                .contains { $0["MESSAGE"]?.contains("The wall clock was set") == true }
        }
        #expect(noticed, "the daemon did not notice the clock being set")

        let early = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=ping"], atLeast: 0)
        if Date().timeIntervalSince1970 < Double(fire) - 1 { #expect(early.isEmpty, "fired before its instant") }
        while Date().timeIntervalSince1970 < Double(fire) + 3 { usleep(200_000) }
        let entries = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=ping"], atLeast: 1)
        let entry = try #require(entries.first, "the step did not fire")
        let written = try #require(entry["__REALTIME_TIMESTAMP"].flatMap(Double.init)) / 1_000_000
        #expect(written >= Double(fireInstant.seconds), "fired early: \(written) < \(fireInstant.seconds)")
        #expect(written - Double(fireInstant.seconds) < 3, "fired \(written - Double(fireInstant.seconds)) s late")
        #expect(entries.count == 1)
    }
}
