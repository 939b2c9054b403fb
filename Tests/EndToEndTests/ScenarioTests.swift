import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// A month of consultations with on-time, late, vague, deflecting, dissenting (then reconciled)
/// and withdrawn answers, applied by the real daemon, then read back with consultctl.
struct Scenario {
    let site: Site

    init() throws {
        site = try Site()
        func request(_ id: String, _ consulted: [String], sent: String, due: String? = nil, days: Int? = nil) {
            let deadline = due.map { ", \"deadline\": \"\($0)\"" } ?? ""
            let replyDays = days.map { ", \"reply_days\": \($0)" } ?? ""
            site.put("\(id).json", """
                {"kind": "request", "id": "\(id)", "title": "Đề án \(id)", "lead": "SXD",
                 "consulted": \(JSONWriter.string(.strings(consulted))), "sent": "\(sent)"\(deadline)\(replyDays)}
                """)
        }
        func reply(_ name: String, _ id: String, _ agency: String, _ received: String, _ body: String) {
            site.put(name, """
                {"kind": "reply", "request": "\(id)", "agency": "\(agency)", "received": "\(received)", \(body)}
                """)
        }
        request("SC-1", ["STC", "STP", "SYT"], sent: "2025-03-03T09:00:00+07:00", due: "2025-03-10")
        request("SC-2", ["STC", "SYT"], sent: "2025-03-05T09:00:00+07:00", due: "2025-03-14")
        request("SC-3", ["STC"], sent: "2025-03-06T09:00:00+07:00", days: 30)
        request("SC-4", ["STP"], sent: "2025-03-07T09:00:00+07:00", due: "2025-03-20")
        reply("r-stc-1.json", "SC-1", "STC", "2025-03-07T10:00:00+07:00", #""position": "agree""#)
        reply("r-stp-1.json", "SC-1", "STP", "2025-03-10T15:00:00+07:00",
              #""position": "disagree", "comments": ["Không thống nhất Điều 7 vì trái khoản 3 Điều 30 Luật Đầu tư công 2024."]"#)
        reply("r-syt-1a.json", "SC-1", "SYT", "2025-03-05T10:00:00+07:00", #""position": "agree", "text": "Về cơ bản thống nhất.""#)
        reply("r-syt-1b.json", "SC-1", "SYT", "2025-03-12T10:00:00+07:00", #""position": "agree""#)
        reply("r-stc-2.json", "SC-2", "STC", "2025-03-10T10:00:00+07:00", #""position": "outside_competence""#)
        reply("r-syt-2.json", "SC-2", "SYT", "2025-03-13T10:00:00+07:00",
              #""position": "agree_with_comments", "comments": ["Mục 2.3: bổ sung 5 trạm y tế lưu động."]"#)
        site.put("resolution.json", #"{"kind": "resolution", "request": "SC-1", "agency": "STP", "outcome": "Đã thống nhất sửa Điều 7", "received": "2025-03-14T15:00:00+07:00"}"#)
        site.put("withdraw.json", #"{"kind": "withdrawal", "request": "SC-4", "reason": "Dừng xây dựng đề án"}"#)
        let r = try site.once("2025-03-20T09:00:00+07:00")
        guard r.status == 0, r.stdout.contains("applied 12,") else { throw CocoaError(.coderInvalidValue) }
    }

    func ctl(_ arguments: [String]) throws -> Outcome {
        // The contract's form: `consultctl [--config PATH] COMMAND`.
        try execute(binary("consultctl"), ["--config", site.config] + arguments)
    }

    func json(_ arguments: [String]) throws -> JSONValue {
        let r = try ctl(arguments)
        guard r.status == 0 else { throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return try JSONReader.parse(Array(r.stdout.utf8))
    }
}

/// Python's csv module reads `text` back: the rows, header first.
func pythonCSV(_ text: String) throws -> [[String]] {
    let file = TemporaryFolder.name("csv", suffix: ".csv")
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let r = try execute("/usr/bin/env", ["python3", "-c", """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8') as f:
            print(json.dumps(list(csv.reader(f, strict=True))))
        """, file])
    guard r.status == 0, case let .array(rows) = try JSONReader.parse(Array(r.stdout.utf8)) else { return [] }
    return rows.map { row in
        guard case let .array(cells) = row else { return [] }
        return cells.compactMap { if case let .string(s) = $0 { return s }; return nil }
    }
}

@Suite("consultctl over a month of consultations", .serialized, .tags(.root, .slow), .skippedWhenFast)
struct ScenarioTests {
    @Test func reportFigures() throws {
        let s = try Scenario()
        let report = try s.json(["report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "json"])
        #expect(report["from"] == .string("2025-03-01"))
        #expect(report["to"] == .string("2025-03-31"))
        guard case let .array(agencies) = report["agencies"] else { Issue.record("no agencies"); return }
        func line(_ code: String) -> [String: String] {
            guard case let .object(members)? = agencies.first(where: { $0["agency"] == .string(code) }) else { return [:] }
            var out: [String: String] = [:]
            for (k, v) in members {
                switch v {
                case let .number(n): out[k] = n
                case let .string(t): out[k] = t
                case .null: out[k] = "null"
                default: break
                }
            }
            return out
        }
        let keys = ["consulted", "on_time", "late", "unanswered", "vague", "deflection", "on_time_rate", "clarity_rate", "mean_days_late"]
        #expect(keys.map { line("STC")[$0] ?? "?" } == ["2", "1", "0", "1", "0", "1", "0.5", "0.5", "null"])
        #expect(keys.map { line("STP")[$0] ?? "?" } == ["1", "1", "0", "0", "0", "0", "1", "1", "null"])
        #expect(keys.map { line("SYT")[$0] ?? "?" } == ["2", "1", "1", "0", "1", "0", "0.5", "0.5", "2"])
        #expect(agencies.count == 3)

        let csv = try pythonCSV(try s.ctl(["report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "csv"]).stdout)
        #expect(csv.first == ["agency", "name", "consulted", "on_time", "late", "unanswered", "vague", "deflection",
                              "on_time_rate", "clarity_rate", "mean_days_late"])
        #expect(csv.count == 4)
        #expect(csv.last?.prefix(3) == ["SYT", "Department of Health", "2"])
        let table = try s.ctl(["report", "--from", "2025-03-01", "--to", "2025-03-31"])
        #expect(table.stdout.contains("Department of Finance"))
        #expect(table.stdout.contains("50%"))
    }

    @Test func listAndShow() throws {
        let s = try Scenario()
        guard case let .array(open) = try s.json(["list", "--format", "json"]) else { Issue.record("not an array"); return }
        #expect(open.map { $0["id"] } == [.string("SC-2"), .string("SC-3")])
        let sc2 = open[0]
        #expect(sc2["title"] == .string("Đề án SC-2"))
        #expect(sc2["lead"] == .string("SXD"))
        #expect(sc2["deadline"] == .string("2025-03-14"))
        #expect(sc2["state"] == .string("open"))
        #expect(sc2["duties"] == .array([
            .object([("party", .string("STC")), ("agency", .string("STC")), ("kind", .string("reply")), ("due", .string("2025-03-14")),
                     ("status", .string("open")), ("assessment", .string("deflection"))]),
            .object([("party", .string("SYT")), ("agency", .string("SYT")), ("kind", .string("reply")), ("due", .string("2025-03-14")),
                     ("status", .string("discharged")), ("assessment", .string("clear"))]),
        ]))
        guard case let .array(all) = try s.json(["list", "--all", "--format", "json"]),
              case let .array(stp) = try s.json(["list", "--all", "--agency", "STP", "--format", "json"]),
              case let .array(overdue) = try s.json(["list", "--overdue", "--format", "json"]) else { Issue.record("not arrays"); return }
        #expect(all.map { $0["state"] } == [.string("completed"), .string("open"), .string("open"), .string("withdrawn")])
        #expect(stp.map { $0["id"] } == [.string("SC-1"), .string("SC-4")])
        #expect(overdue.map { $0["id"] } == [.string("SC-2"), .string("SC-3")])

        let show = try s.json(["show", "SC-1", "--format", "json"])
        #expect(show["state"] == .string("completed"))
        guard case let .array(documents) = show["documents"], case let .array(notices) = show["notices"],
              case let .array(duties) = show["duties"] else { Issue.record("show shape"); return }
        #expect(documents.map { $0["kind"] } == [.string("request")] + Array(repeating: .string("reply"), count: 4) + [.string("resolution")])
        #expect(documents.allSatisfy { $0["file"] != nil && $0["at"] != nil })
        #expect(documents.contains { $0["file"] == .string("r-syt-1a.json") && $0["assessment"] == .string("vague") })
        #expect(notices.map { $0["notice_id"] }.contains(.string("SC-1.STP.disagreement")))
        #expect(notices.map { $0["notice_id"] }.contains(.string("SC-1.SYT.late-reply")))
        #expect(notices.map { $0["notice_id"] }.contains(.string("SC-1.SXD.completed")))
        #expect(notices.allSatisfy { $0["event"] != nil && $0["step"] != nil && $0["at"] != nil })
        let reconcile = duties.first { $0["kind"] == .string("reconcile") }
        #expect(reconcile?["party"] == .string("SXD"))
        #expect(reconcile?["agency"] == .string("STP"))
        #expect(reconcile?["status"] == .string("discharged"))

        let detail = try s.json(["show", "SC-2", "--format", "json"])
        guard case let .array(steps) = detail["notices"] else { Issue.record("no notices"); return }
        #expect(steps.contains { $0["notice_id"] == .string("SC-2.STC.escalation-1") && $0["late_detected"] == .bool(true) })
        #expect(steps.contains { $0["notice_id"] == .string("SC-2.STC.reminder") && $0["status"] == .string("skipped") })

        let timeline = try s.ctl(["show", "SC-1"])
        #expect(timeline.stdout.contains("r-syt-1a.json (SYT) — vague [hedged_agreement]"))
        #expect(timeline.stdout.contains("reconcile SXD with STP"))
        #expect(try s.ctl(["show", "NOPE"]).status == 66)

        let csv = try pythonCSV(try s.ctl(["list", "--all", "--format", "csv"]).stdout)
        #expect(csv.first == ["id", "title", "lead", "deadline", "state", "party", "agency", "kind", "due", "status", "assessment"])
        #expect(csv.count == 1 + 8)
        #expect(csv.contains { $0.first == "SC-1" && $0[7] == "reconcile" })
    }

    @Test func calendarDiffBackupAndStatus() throws {
        let s = try Scenario()
        // A day off added inside SC-3's 30 working days moves it; explicit deadlines do not move.
        let calendar = s.site.root + "/vn-new.toml"
        let current = try String(contentsOfFile: repository + "/config/calendars/vn.toml", encoding: .utf8)
        try (current + "\n[[off]]\ndate = 2025-03-19\nname = \"Nghỉ đột xuất\"\n").write(toFile: calendar, atomically: true, encoding: .utf8)
        guard case let .array(changes) = try s.json(["calendar", "diff", calendar, "--format", "json"]) else { Issue.record("diff"); return }
        #expect(changes.map { $0["id"] } == [.string("SC-3")])
        if case let .string(due)? = changes.first?["due"], case let .string(moved)? = changes.first?["new_due"] {
            #expect(moved > due)
        }
        let unchanged = try s.ctl(["calendar", "diff", repository + "/config/calendars/vn.toml"])
        #expect(unchanged.stdout.contains("No open deadline would move"))

        let backup = s.site.root + "/backup.sqlite"
        let b = try s.ctl(["backup", backup])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("integrity: ok"))
        let count = try execute("/usr/bin/sqlite3", [backup, "SELECT count(*) FROM consultations"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "4")
        #expect(try s.ctl(["backup", backup]).status == 64)

        // No daemon runs here: critical, and the counts all the same.
        let status = try s.ctl(["status"])
        #expect(status.status == 2)
        #expect(status.stdout.contains("not running"))
        #expect(status.stdout.contains("open consultations           2"))
        #expect(status.stdout.contains("vague awaiting clarification 1"))
    }

    @Test func scorecardPageInARealBrowser() throws {
        let s = try Scenario()
        let page = s.site.root + "/scorecard.html"
        let html = try s.ctl(["report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "html"])
        #expect(html.status == 0)
        try html.stdout.write(toFile: page, atomically: true, encoding: .utf8)
        let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let chromium = try #require(browser, "Debian's chromium is needed (scripts/test.sh installs it)")
        let shot = (ProcessInfo.processInfo.environment["CONSULTD_SCREENSHOT"]) ?? s.site.root + "/scorecard.png"
        let r = try execute(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                       "--window-size=1280,900", "--screenshot=\(shot)", "file://\(page)"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "a blank page would be far smaller")
    }
}

@Suite("consultctl submit racing the daemon", .tags(.root, .slow), .skippedWhenFast)
struct SubmitRaceTests {
    @Test func aThousandDocumentsNoneHalfWrittenNoneLost() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let listener = try NotifyListener()
        let daemon = try startService(site, notify: listener)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try #require(listener.wait(for: "READY=1") != nil)
        let sources = site.root + "/outgoing"
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        var names: [String] = []
        for i in 0..<1000 {
            let name = "\(sources)/doc-\(i).json"
            // Large enough that a half-written file would be noticed as malformed.
            try """
                {"kind": "request", "id": "RACE-\(i)", "title": "\(String(repeating: "Đề án ", count: 200))", "lead": "SXD",
                 "consulted": ["STC"], "sent": "2030-01-02T09:00:00+07:00", "reply_days": 10}
                """.write(toFile: name, atomically: false, encoding: .utf8)
            names.append(name)
        }
        for batch in stride(from: 0, to: 1000, by: 100) {
            let r = try execute(binary("consultctl"), ["submit", "--config", site.config] + names[batch..<(batch + 100)])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(eventually(within: .seconds(60), every: .milliseconds(100)) { site.list("spool/new").isEmpty })
        #expect(site.list("spool/rejected").isEmpty)
        let done = site.list("spool/done").flatMap { site.list("spool/done/\($0)") }
        #expect(done.count == 1000)
        #expect(Set(done).count == 1000)
        let count = try execute("/usr/bin/sqlite3", [site.root + "/state/state.sqlite", "SELECT count(*) FROM consultations WHERE id LIKE 'RACE-%'"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1000")
    }

    @Test func anInvalidDocumentStopsTheBatchUnlessPartial() throws {
        let site = try Site()
        let good = site.root + "/good.json", bad = site.root + "/bad.json"
        try #"{"kind":"withdrawal","request":"R1","reason":"x"}"#.write(toFile: good, atomically: true, encoding: .utf8)
        try #"{"kind":"withdrawal","request":"R1"}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try execute(binary("consultctl"), ["submit", "--config", site.config, good, bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("bad.json: invalid_field: required field \"reason\" is missing"))
        #expect(site.list("spool/new").isEmpty)
        let partial = try execute(binary("consultctl"), ["submit", "--config", site.config, "--partial", good, bad])
        #expect(partial.status == 65)
        #expect(site.list("spool/new") == ["good.json"])
        #expect(try execute(binary("consultctl"), ["submit", "--config", site.config, good]).status == 0)
        #expect(site.list("spool/new") == ["good.json", "good.json.1"])
        #expect(site.list("spool/tmp").isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: site.root + "/spool/new/good.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o644)
    }
}
