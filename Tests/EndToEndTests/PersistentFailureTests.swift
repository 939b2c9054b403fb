import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// CPU time a process has used (user + system), from `/proc/PID/stat`.
func cpuSeconds(_ pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    // After the command's closing parenthesis: field 3 (state) onwards; utime and stime are 14 and 15.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

@Suite("A failure that lasts", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct PersistentFailureTests {
    /// The outbox on a full 256 KiB tmpfs for 20 s: the loop retries with backoff and never spins
    /// (under 0.5 s of CPU), the watchdog is fed all along, STATUS= names the failure, the journal
    /// hears of it once; when space returns, the notices are written and STATUS= is healthy again.
    @Test func backoffWithoutSpinningWatchdogFedStatusSaysWhy() throws {
        try #require(getuid() == 0, "mounting a tmpfs needs root")
        try #require(try ensureJournald())
        let site = try Site(extra: "outbox = \"outbox\"")
        let outbox = try fullOutbox(site)
        defer { _ = try? execute("/bin/umount", ["-l", outbox]) }

        let listener = try NotifyListener()
        // A 2 s watchdog: WATCHDOG=1 every second, whatever fails.
        let daemon = try startService(site, notify: listener, watchdogMicroseconds: 2_000_000)
        defer { if daemon.isRunning { daemon.terminate(); daemon.waitUntilExit() } }
        let pid = daemon.processIdentifier
        try #require(listener.wait(for: "READY=1") != nil)
        let id = "SPIN-" + UUID().uuidString.prefix(8)
        site.put("late.json", """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC", "STP"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        #expect(eventually { site.list("spool/new").isEmpty })
        let status = listener.wait(for: "No space left on device", timeout: 5)
        #expect(status?.hasPrefix("STATUS=") == true, "STATUS= does not name the failure: \(listener.messages.suffix(5))")
        #expect(status?.contains(outbox) == true, "\(status ?? "")")

        // 20 s of a failure that does not go away.
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = try #require(cpuSeconds(pid))
        let entriesBefore = try journalEntries(["_PID=\(pid)"], atLeast: 0).count
        Thread.sleep(forTimeInterval: 20)
        let cpu = try #require(cpuSeconds(pid)) - cpuBefore
        let end = clock.now
        let entries = try journalEntries(["_PID=\(pid)"], atLeast: 0)
        #expect(daemon.isRunning)
        print("20 s of a full outbox: \(cpu) s of CPU, \(entries.count - entriesBefore) journal entries")
        #expect(cpu < 0.5, "the loop spins: \(cpu) s of CPU in 20 s")
        #expect(entries.count - entriesBefore <= 2, "\(entries.suffix(5).map { $0["MESSAGE"] ?? "" })")
        // No message is said twice: the failure once per episode.
        let messages = entries.compactMap { $0["MESSAGE"] }
        #expect(Set(messages).count == messages.count, "\(messages)")

        let pings = listener.arrivals.filter { $0.message.contains("WATCHDOG=1") && $0.at >= start && $0.at <= end }.map(\.at)
        print("WATCHDOG=1 arrived \(pings.count) times in 20 s")
        #expect(pings.count >= 15, "WATCHDOG=1 \(pings.count) times in 20 s")
        let gaps = zip(pings, pings.dropFirst()).map { $1 - $0 }
        #expect((gaps.max() ?? .seconds(20)) < .milliseconds(1900), "longest gap between WATCHDOG=1: \(gaps.max() ?? .zero)")
        #expect(listener.arrivals.last { $0.message.contains("STATUS=") }?.message.contains("No space left on device") == true)

        // Space returns: the next retry (within 60 s at worst, here 16 s) writes every notice.
        try FileManager.default.removeItem(atPath: outbox + "/filler")
        let expected = ["\(id).STC.escalation-2.json", "\(id).STP.escalation-2.json"]
        #expect(eventually(within: .seconds(40)) { site.list("outbox") == expected }, "\(site.list("outbox"))")
        #expect(listener.wait(for: "STATUS=1 open consultations", timeout: 5) != nil)
        let told = try journalEntries(["_PID=\(pid)"], atLeast: 0).compactMap { $0["MESSAGE"] }
        #expect(told.filter { $0.contains("No space left on device") }.count <= 2, "\(told)")
    }
}

@Suite("What a crash leaves in outbox/.tmp", .tags(.root))
struct StagingLeftoverTests {
    /// Staged notices of a writer that no longer runs are removed at start, with one journal
    /// entry naming them; a writer that runs keeps its file unless it is old; the notices
    /// themselves are still pending and are written.
    @Test func removedAtStartOnceTold() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let staging = site.root + "/spool/outbox/.tmp"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let dead = ".X-\(UUID().uuidString.prefix(8)).STC.reminder.json.2147483647.tmp"
        let running = ".Y.STC.reminder.json.\(getpid()).tmp"
        let stale = ".Z.STC.reminder.json.\(getpid()).tmp"
        for name in [dead, running, stale, "junk"] {
            #expect(FileManager.default.createFile(atPath: "\(staging)/\(name)", contents: Data("{\"half".utf8)))
        }
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: "\(staging)/\(stale)")
        let r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? []) == [running])
        let told = try journalEntries(["CONSULT_EVENT=daemon"], atLeast: 1).filter { $0["MESSAGE"]?.contains(dead) == true }
        #expect(told.count == 1)
        #expect(told.first?["MESSAGE"]?.contains("Removed 3 unfinished notice files left in \(staging) by a crash") == true,
                "\(told.first?["MESSAGE"] ?? "")")
    }
}
