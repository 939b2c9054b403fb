import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

@Suite("consultd --once against a real journald", .tags(.root), .serialized)
struct DaemonOnceTests {
    @Test func sequenceOfRunsOverOneStore() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site()
        let id = "E2E-" + UUID().uuidString.prefix(8)
        site.put("request.json", """
            {"kind": "request", "id": "\(id)", "title": "Draft scheme for social housing", "lead": "SXD",
             "consulted": ["STC", "STP", "SYT"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        site.put("vague.json", """
            {"kind": "reply", "request": "\(id)", "agency": "STC", "received": "2025-03-04T10:00:00+07:00",
             "position": "agree", "text": "We broadly support the draft in principle."}
            """)
        site.put("broken.json", "{\"kind\": \"reply\", ")
        var r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("applied 2"))
        #expect(site.list("spool/new").isEmpty)
        #expect(site.list("spool/rejected") == ["broken.json", "broken.json.error.json"])
        let sidecar = try site.json("spool/rejected/broken.json.error.json")
        #expect(sidecar["file"] == .string("broken.json"))
        #expect(sidecar["code"] == .string("malformed_json"))
        #expect(sidecar["at"] == .string("2025-03-04T11:00:00+07:00"))

        // Reminder on Thursday 6/3 at 08:00, not before.
        r = try site.once("2025-03-06T07:59:00+07:00")
        #expect(site.list("spool/outbox") == ["\(id).STC.vague.json"])
        r = try site.once("2025-03-06T08:00:00+07:00")
        #expect(site.list("spool/outbox").filter { $0.hasSuffix("reminder.json") }.count == 3)
        // A clear reply from STP on time; SYT stays silent; STC stays vague.
        site.put("stp.json", """
            {"kind": "reply", "request": "\(id)", "agency": "STP", "received": "2025-03-07T15:00:00+07:00",
             "position": "agree_with_comments", "comments": ["Article 4.2: cap the fee at 2% of the contract value."]}
            """)
        r = try site.once("2025-03-07T16:00:00+07:00")
        // After a long outage: escalation-1 only, marked late_detected.
        r = try site.once("2025-03-14T09:00:00+07:00")
        #expect(r.status == 0)
        let outbox = site.list("spool/outbox")
        #expect(outbox.contains("\(id).SYT.escalation-1.json"))
        #expect(!outbox.contains("\(id).SYT.overdue.json"))
        let e1 = try site.json("spool/outbox/\(id).SYT.escalation-1.json")
        #expect(e1["late_detected"] == .bool(true))
        // Its true lateness on Friday 14/3 (four working days after Monday 10/3), not its step's +3.
        #expect(e1["days_late"] == .number("4"))
        #expect(e1["to"] == .strings(["head.syt@example.vn"]))
        #expect(e1["cc"] == .strings(["office.sxd@example.vn"]))
        #expect(e1["deadline"] == .string("2025-03-10"))
        if case let .string(body) = e1["body"] { #expect(body.contains("2025-03-10")) }

        let entries = try journalEntries(["CONSULT_ID=\(id)"], atLeast: 9)
        func entry(_ event: String, _ agency: String? = nil) -> [String: String]? {
            entries.first { $0["CONSULT_EVENT"] == event && (agency == nil || $0["CONSULT_AGENCY"] == agency) }
        }
        let vague = try #require(entry("vague"))
        #expect(vague["PRIORITY"] == "4")
        #expect(vague["MESSAGE_ID"] == "7a630145134f416994c772e5210dd218")
        #expect(vague["CONSULT_AGENCY"] == "STC")
        #expect(vague["CONSULT_LEAD"] == "SXD")
        #expect(vague["CONSULT_DEADLINE"] == "2025-03-10")
        #expect(vague["CONSULT_NOTICE_ID"] == "\(id).STC.vague")
        #expect(vague["CONSULT_REASONS"] == "hedged_agreement")
        #expect(vague["CONSULT_DAYS_LATE"] == nil)
        #expect(vague["CONSULT_STEP"] == nil)
        #expect(vague["MESSAGE"]?.isEmpty == false)
        let reminder = try #require(entry("reminder", "SYT"))
        #expect(reminder["PRIORITY"] == "5")
        #expect(reminder["CONSULT_STEP"] == "reminder")
        #expect(reminder["MESSAGE_ID"] == "effc08ad1ba440f5af8b062e783b7fc4")
        let escalation = try #require(entry("escalation-1", "SYT"))
        #expect(escalation["PRIORITY"] == "3")
        #expect(escalation["CONSULT_DAYS_LATE"] == "4")
        #expect(escalation["CONSULT_STEP"] == "escalation-1")
        #expect(escalation["CONSULT_LATE_DETECTED"] == "1")
        #expect(escalation["MESSAGE_ID"] == "092fd547635d4061a76513ce0e71ebb5")
        #expect(entry("accepted") != nil)
        // Each notice once in the journal, however many runs.
        let noticeIDs = entries.compactMap { $0["CONSULT_NOTICE_ID"] }
        #expect(Set(noticeIDs).count == noticeIDs.count)

        let refused = try journalEntries(["CONSULT_FILE=broken.json", "CONSULT_EVENT=rejected"], atLeast: 1)
        #expect(refused.last?["PRIORITY"] == "3")
        #expect(refused.last?["CONSULT_REASONS"] == "malformed_json")
        #expect(refused.last?["MESSAGE_ID"] == "db6d62281ed944dda16e48600bbf7819")
    }

    @Test func aConfigNamedFromItsOwnFolderWorks() throws {
        let site = try Site()
        site.put("request.json", """
            {"kind": "request", "id": "CWD-1", "title": "Draft", "lead": "SXD", "consulted": ["STC"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        // The store beside the config: its folder, as written, is empty.
        let text = try String(contentsOfFile: site.config, encoding: .utf8)
            .replacingOccurrences(of: "state = \"state/state.sqlite\"", with: "state = \"state.sqlite\"")
        try text.write(toFile: site.config, atomically: true, encoding: .utf8)
        let r = try execute(binary("consultd"), ["--config", "consultd.toml", "--once", "--at", "2025-03-03T10:00:00+07:00"],
                            in: site.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("applied 1"))
        #expect(FileManager.default.fileExists(atPath: site.root + "/state.sqlite"))
    }

    @Test func provisionalDeadlinesWarnOncePerUncoveredYear() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let first = "E2E-P1-" + UUID().uuidString.prefix(8), second = "E2E-P2-" + UUID().uuidString.prefix(8)
        for (name, id) in [("a.json", first), ("b.json", second)] {
            site.put(name, """
                {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC"],
                 "sent": "2026-12-21T09:00:00+07:00", "reply_days": 15}
                """)
        }
        #expect(try site.once("2026-12-21T10:00:00+07:00").status == 0)
        let warnings = try journalEntries(["CONSULT_EVENT=calendar-provisional", "CONSULT_ID=\(first)"], atLeast: 1)
        #expect(warnings.count == 1)
        #expect(warnings.first?["PRIORITY"] == "4")
        #expect(warnings.first?["MESSAGE"]?.contains("2027") == true)
        #expect(try journalEntries(["CONSULT_EVENT=calendar-provisional", "CONSULT_ID=\(second)"], atLeast: 0).isEmpty)
        // The reminder explains that the deadline is provisional.
        #expect(try site.once("2027-01-08T09:00:00+07:00").status == 0)
        let reminder = try site.json("spool/outbox/\(first).STC.reminder.json")
        if case let .string(body) = reminder["body"] { #expect(body.contains("provisional")) } else { Issue.record("no body") }
    }

    @Test func hostileInputIsRefusedWithItsCode() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let id = "E2E-H-" + UUID().uuidString.prefix(8)
        let new = site.root + "/spool/new/"
        site.put("request.json", """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00"}
            """)
        site.put("malformed.json", "{{")
        site.put("types.json", #"{"kind":"reply","request":"X","agency":"STC","received":12345}"#)
        site.put("kind.json", #"{"kind":"complaint"}"#)
        site.put("agency.json", #"{"kind":"reply","request":"X","agency":"SGTVT","received":"2025-03-04T10:00:00+07:00"}"#)
        site.put("request-unknown.json", #"{"kind":"withdrawal","request":"NOPE","reason":"x"}"#)
        site.put("passwd.json", #"{"kind":"request","id":"../../etc/passwd","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-03-03T09:00:00+07:00"}"#)
        site.put("not-consulted.json", """
            {"kind":"reply","request":"\(id)","agency":"SYT","received":"2025-03-04T10:00:00+07:00","position":"agree"}
            """)
        try FileManager.default.createSymbolicLink(atPath: new + "symlink.json", withDestinationPath: site.root + "/consultd.toml")
        _ = mkfifo(new + "fifo.json", 0o600)
        _ = FileManager.default.createFile(atPath: new + "huge.json", contents: Data(repeating: 0x20, count: 5 << 20))
        _ = FileManager.default.createFile(atPath: new + "latin1.json", contents: Data([0x7B, 0x22, 0x74, 0xE9, 0x22, 0x7D]))
        let r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("applied 1,"))
        let codes = [
            "malformed.json": "malformed_json", "types.json": "invalid_field", "kind.json": "unknown_kind",
            "agency.json": "unknown_agency", "request-unknown.json": "unknown_request", "passwd.json": "invalid_field",
            "not-consulted.json": "not_consulted", "symlink.json": "not_regular_file", "fifo.json": "not_regular_file",
            "huge.json": "too_large", "latin1.json": "invalid_utf8",
        ]
        for (name, code) in codes {
            #expect(try site.json("spool/rejected/\(name).error.json")["code"] == .string(code), "\(name)")
        }
        #expect(site.list("spool/new").isEmpty)
        #expect(site.list("spool/done/2025-03-04") == ["request.json"])
        // The symlink's target was never touched.
        #expect(FileManager.default.fileExists(atPath: site.config))
        let rejected = try journalEntries(["CONSULT_FILE=passwd.json"], atLeast: 1)
        #expect(rejected.first?["CONSULT_EVENT"] == "rejected")
    }

    @Test func withoutAJournalSocketLinesGoToStandardError() throws {
        guard getuid() == 0, FileManager.default.fileExists(atPath: "/usr/bin/unshare") else { return }
        let site = try Site()
        site.put("bad.json", "nope")
        // A private mount namespace with an empty /run/systemd/journal: no socket to write to.
        let r = try execute("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c",
                                                 "mkdir -p /run/systemd/journal && mount -t tmpfs none /run/systemd/journal && exec \"$0\" --config \"$1\" --once --at 2025-03-04T11:00:00+07:00",
                                                 binary("consultd"), site.config])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("consultd["))
        #expect(r.stderr.contains("<err> Refused bad.json (malformed_json)"))
        #expect(r.stderr.contains("CONSULT_FILE=bad.json"))
    }

    @Test func catalogExplainsEveryMessageID() throws {
        let root = try TemporaryFolder.make("catalog")
        try FileManager.default.createDirectory(atPath: root + "/usr/lib/systemd/catalog", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repository + "/systemd/consultd.catalog",
                                         toPath: root + "/usr/lib/systemd/catalog/consultd.catalog")
        let update = try execute("/usr/bin/journalctl", ["--root=\(root)", "--update-catalog"])
        #expect(update.status == 0, "\(update.stderr)")
        let list = try execute("/usr/bin/journalctl", ["--root=\(root)", "--list-catalog"])
        #expect(list.status == 0)
        for id in ["effc08ad1ba440f5af8b062e783b7fc4", "7a630145134f416994c772e5210dd218", "db6d62281ed944dda16e48600bbf7819",
                   "9e3a2a01efab47db9832bbe126b8effb", "69c9d6facb8b4e86804c849a7acf42c7", "30f1e260673e4966aafa940498376f9e"] {
            #expect(list.stdout.contains("\(id) consultd:"), "\(id)")
        }
        // Every event, and the one id a city's own ladder steps share.
        #expect(list.stdout.split(separator: "\n").filter { $0.contains(" consultd: ") }.count == Event.allCases.count + 1)
    }

    /// The clock jumps a week ahead: only each duty's latest step goes out (late_detected); then
    /// back: nothing goes out again.
    @Test func clockForwardAWeekThenBack() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let id = "CLK-" + UUID().uuidString.prefix(8)
        site.put("req.json", """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        #expect(try site.once("2025-03-05T09:00:00+07:00").status == 0)
        #expect(site.list("spool/outbox").isEmpty)
        #expect(try site.once("2025-03-12T09:00:00+07:00").status == 0)
        #expect(site.list("spool/outbox") == ["\(id).STC.overdue.json"])
        #expect(try site.json("spool/outbox/\(id).STC.overdue.json")["late_detected"] == .bool(true))
        let before = try Data(contentsOf: URL(fileURLWithPath: site.root + "/spool/outbox/\(id).STC.overdue.json"))
        #expect(try site.once("2025-03-06T09:00:00+07:00").status == 0)
        #expect(try site.once("2025-03-12T09:00:00+07:00").status == 0)
        #expect(site.list("spool/outbox") == ["\(id).STC.overdue.json"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: site.root + "/spool/outbox/\(id).STC.overdue.json")) == before)
        let entries = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=overdue"], atLeast: 1)
        #expect(entries.count == 1)
        #expect(try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=reminder"], atLeast: 0).isEmpty)
    }

    @Test func aCorruptStoreStopsTheDaemon() throws {
        let site = try Site()
        try FileManager.default.createDirectory(atPath: site.root + "/state", withIntermediateDirectories: true)
        let garbage = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 131) })
        try garbage.write(to: URL(fileURLWithPath: site.root + "/state/state.sqlite"))
        site.put("doc.json", #"{"kind":"memo"}"#)
        let r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 74)
        #expect(r.stderr.contains("state.sqlite"))
        #expect(r.stderr.contains("restore it from a backup"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: site.root + "/state/state.sqlite")) == garbage)
        #expect(site.list("spool/new") == ["doc.json"])
    }

    /// A downgrade: consultd and consultctl refuse a store a newer version migrated (exit 78),
    /// touching nothing.
    @Test func aStoreOfANewerVersionIsRefused() throws {
        let site = try Site()
        site.put("req.json", #"{"kind":"request","id":"HN-1","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-03-03T09:00:00+07:00","reply_days":5}"#)
        #expect(try site.once("2025-03-03T10:00:00+07:00").status == 0)
        let state = site.root + "/state/state.sqlite"
        #expect(try execute("/usr/bin/sqlite3", [state, "INSERT INTO grdb_migrations VALUES ('v99')"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: state))
        site.put("doc.json", #"{"kind":"memo"}"#)
        let r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.contains(state) && r.stderr.contains("v99") && r.stderr.contains("downgrades are not supported"), "\(r.stderr)")
        #expect(site.list("spool/new") == ["doc.json"])
        let list = try execute(binary("consultctl"), ["list", "--all", "--config", site.config])
        #expect(list.status == 78 && list.stderr.contains("v99"), "\(list.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == before)
    }

    /// root running consultd on a site that belongs to the daemon's account works as that
    /// account: what it writes (the archive copy, the store) is the account's, not root's.
    @Test func rootRunsConsultdAsTheStoreAccount() throws {
        try #require(getuid() == 0)
        let site = try Site()
        try FileManager.default.createDirectory(atPath: site.root + "/state", withIntermediateDirectories: true)
        site.put("doc.json", #"{"kind":"memo"}"#)
        let nobody = try #require(getpwnam("nobody")).pointee
        #expect(try execute("/bin/chown", ["-R", "nobody:\(nobody.pw_gid)", site.root]).status == 0)
        let r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(site.list("spool/new").isEmpty)
        var st = stat()
        #expect(stat(site.root + "/state/state.sqlite", &st) == 0 && st.st_uid == nobody.pw_uid && st.st_mode & 0o007 == 0)
        let rejected = site.list("spool/rejected")
        #expect(rejected.contains("doc.json"), "\(rejected)")
        #expect(stat(site.root + "/spool/rejected/doc.json.error.json", &st) == 0 && st.st_uid == nobody.pw_uid)
    }

    /// --check-config warns (exit 0) of a year the calendar does not cover: this year, and from
    /// October the next, into which deadlines run.
    @Test func checkConfigWarnsOfAYearTheCalendarDoesNotCover() throws {
        let site = try Site()
        let calendar = site.root + "/old.toml"
        try "name = \"old\"\nyears = [2020]\n".write(toFile: calendar, atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: site.config, encoding: .utf8)
        try config.replacingOccurrences(of: "\(repository)/config/calendars/vn.toml", with: calendar)
            .write(toFile: site.config, atomically: true, encoding: .utf8)
        let r = try execute(binary("consultd"), ["--check-config", "--config", site.config])
        #expect(r.status == 0, "\(r.stderr)")
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        #expect(r.stderr.contains("warning: calendar \(calendar) does not cover \(year): deadlines that run into it are provisional"), "\(r.stderr)")
    }

    @Test func abandonedHandOffsAreSweptAfter36Hours() throws {
        try #require(try ensureJournald())
        let site = try Site()
        let tmp = site.root + "/spool/tmp/"
        let name = "old-" + UUID().uuidString.prefix(8) + ".json"
        for file in [name, "fresh.json", ".hidden"] {
            _ = FileManager.default.createFile(atPath: tmp + file, contents: Data("{".utf8))
        }
        let old = Date().addingTimeInterval(-37 * 3600)
        for file in [name, ".hidden"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: tmp + file)
        }
        #expect(try site.once("2025-03-04T11:00:00+07:00").status == 0)
        #expect(site.list("spool/tmp") == ["fresh.json"])
        #expect(FileManager.default.fileExists(atPath: tmp + ".hidden"))
        let entries = try journalEntries(["CONSULT_EVENT=stale-handoff", "CONSULT_FILE=\(name)"], atLeast: 1)
        #expect(entries.count == 1)
        #expect(entries.first?["PRIORITY"] == "5")
    }

    @Test func exitCodesFollowSysexits() throws {
        let site = try Site()
        try "spool = \"s\"\n[policy]\nsilence = \"shout\"\n".write(toFile: site.root + "/bad.toml", atomically: true, encoding: .utf8)
        let bad = try execute(binary("consultd"), ["--config", site.root + "/bad.toml", "--check-config"])
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("bad.toml:3: key policy.silence: unknown value \"shout\""))
        #expect(try execute(binary("consultd"), ["--config", site.config, "--at", "2025-03-04T11:00:00+07:00"]).status == 64)
        #expect(try execute(binary("consultd"), ["--config", site.config, "--once", "--at", "yesterday"]).status == 64)
        let ok = try execute(binary("consultd"), ["--config", site.config, "--check-config"])
        #expect(ok.status == 0)
        let version = try execute(binary("consultd"), ["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }
}
