import ConsultCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("consultd as a service, outside systemd", .serialized)
struct ServiceTests {
    @Test func notifyProtocolIntakeReloadAndStop() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let listener = try NotifyListener()
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary("consultd"))
        daemon.arguments = ["--config", site.config]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = listener.path
        environment["WATCHDOG_USEC"] = "1000000"
        daemon.environment = environment
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        let ready = try #require(listener.wait(for: "READY=1"))
        #expect(ready.contains("STATUS=0 open consultations, 0 overdue duties"))
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 3) != nil)

        // A document renamed into new/ is applied promptly.
        let id = "SVC-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: site.root + "/spool/tmp", withIntermediateDirectories: true)
        try """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """.write(toFile: site.root + "/spool/tmp/req.json", atomically: false, encoding: .utf8)
        let dropped = Date()
        rename(site.root + "/spool/tmp/req.json", site.root + "/spool/new/req.json")
        var applied = false
        while Date().timeIntervalSince(dropped) < 5 {
            if site.list("spool/new").isEmpty { applied = true; break }
            usleep(5_000)
        }
        #expect(applied)
        let accepted = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=accepted"], atLeast: 1)
        #expect(accepted.first?["CONSULT_FILE"] == "req.json")
        // The request arrived long after its steps: catch-up, one notice per duty.
        let escalation = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=escalation-2"], atLeast: 1)
        #expect(escalation.first?["CONSULT_LATE_DETECTED"] == "1")
        #expect(listener.wait(for: "STATUS=1 open consultations, 1 overdue duties, last intake 20") != nil)

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
        let stopAsked = Date()
        daemon.terminate()
        #expect(listener.wait(for: "STOPPING=1", timeout: 5) != nil)
        while daemon.isRunning && Date().timeIntervalSince(stopAsked) < 5 { usleep(10_000) }
        #expect(!daemon.isRunning)
        #expect(daemon.terminationStatus == 0)
        #expect(daemon.terminationReason == .exit)

        // The order of the protocol.
        let order = listener.messages.compactMap { m in ["READY=1", "WATCHDOG=1", "RELOADING=1", "STOPPING=1"].first { m.contains($0) } }
        #expect(order.first == "READY=1")
        #expect(order.last == "STOPPING=1")
        let reloadIndex = try #require(order.firstIndex(of: "RELOADING=1"))
        #expect(order[reloadIndex + 1] == "READY=1")
    }
}
