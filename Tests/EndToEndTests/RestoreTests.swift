import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One consultation timeline, run the same way on two sites: `consultd --once --at` at 08:00 (the
/// ladder's hour) and after the day's documents; a mail consumer that moves every other notice
/// into `outbox/sent/DAY/`; days without any run (downtime, so that steps are caught up).
struct Timeline {
    let prefix: String
    /// Documents handed off per day, each as (name, JSON); a second document of a name the same
    /// day goes in a later run of that day (so `done/` names it `NAME.1`).
    var days: [(day: String, documents: [(String, String)])] = []
    /// Days without any run: the daemon was down.
    var down: Set<String> = []

    init(prefix: String, through last: String) {
        self.prefix = prefix
        var day = LocalDate(iso: "2025-03-03")!
        while day <= LocalDate(iso: last)! {
            days.append((day.description, []))
            day = day.adding(days: 1)
        }
    }

    func id(_ n: Int) -> String { "\(prefix)-\(n)" }

    mutating func on(_ day: String, _ name: String, _ text: String) {
        let i = days.firstIndex { $0.day == day }!
        days[i].documents.append((name, text))
    }

    mutating func request(_ n: Int, _ day: String, _ consulted: [String], deadline: String? = nil, urgency: String = "normal") {
        let due = deadline.map { #", "deadline": "\#($0)""# } ?? ""
        on(day, "req-\(n).json", #"{"kind": "request", "id": "\#(id(n))", "title": "Đề án \#(n)", "lead": "SXD", "consulted": \#(JSONWriter.string(.strings(consulted))), "sent": "\#(day)T09:00:00+07:00", "urgency": "\#(urgency)"\#(due)}"#)
    }

    mutating func reply(_ n: Int, _ day: String, _ agency: String, _ body: String, name: String? = nil, time: String = "10:00") {
        on(day, name ?? "r-\(n)-\(agency.lowercased()).json",
           #"{"kind": "reply", "request": "\#(id(n))", "agency": "\#(agency)", "received": "\#(day)T\#(time):00+07:00", \#(body)}"#)
    }

    static let agree = #""position": "agree""#
    static let vague = #""position": "agree", "text": "Về cơ bản thống nhất với dự thảo.""#
    static let deflect = #""position": "outside_competence""#
    static let dissent = #""position": "disagree", "comments": ["Không thống nhất Điều 7 vì trái khoản 3 Điều 30 Luật Đầu tư công 2024."]"#
    static let comments = #""position": "agree_with_comments", "comments": ["Mục 2.3: bổ sung 5 trạm y tế lưu động."]"#

    /// A month of mixed documents: on-time, late, vague, deflecting and dissenting replies, a
    /// disagreement reconciled, an extension, a withdrawal, a reply before its request, a
    /// document sent twice, two files of one name on one day, a refused file, downtime.
    static func month(_ prefix: String) -> Timeline {
        var t = Timeline(prefix: prefix, through: "2025-03-31")
        t.request(1, "2025-03-03", ["STC", "STP", "SYT"], deadline: "2025-03-10")
        t.request(2, "2025-03-04", ["STC", "SYT"], deadline: "2025-03-12")
        t.reply(1, "2025-03-05", "STC", agree)
        t.reply(2, "2025-03-05", "SYT", vague)
        // Handed off the day before its request: held, then applied with it.
        t.on("2025-03-05", "r-3-stp.json", #"{"kind": "reply", "request": "\#(t.id(3))", "agency": "STP", "received": "2025-03-06T10:00:00+07:00", \#(agree)}"#)
        t.request(3, "2025-03-06", ["STP", "STC"], urgency: "urgent")
        t.on("2025-03-07", "bad.json", "{ not json")
        t.reply(1, "2025-03-07", "STP", dissent)
        t.request(4, "2025-03-10", ["STC", "STP", "SYT"], deadline: "2025-03-20")
        t.reply(1, "2025-03-11", "SYT", comments)   // late
        t.on("2025-03-12", "ext-2.json", #"{"kind": "extension", "request": "\#(t.id(2))", "deadline": "2025-03-19", "reason": "Bổ sung hồ sơ"}"#)
        t.reply(4, "2025-03-12", "STC", deflect)
        // Backup on 2025-03-13, after its runs.
        t.reply(4, "2025-03-14", "STP", agree, name: "reply.json")
        t.reply(4, "2025-03-14", "SYT", dissent, name: "reply.json")
        // The same content again, spelt otherwise: a duplicate.
        t.on("2025-03-14", "r-1-stc-again.json", #"{"agency": "STC", "kind": "reply", "request": "\#(t.id(1))", "received": "2025-03-05T03:00:00Z", "position": "agree"}"#)
        t.on("2025-03-17", "res-1.json", #"{"kind": "resolution", "request": "\#(t.id(1))", "agency": "STP", "outcome": "Đã thống nhất sửa Điều 7", "received": "2025-03-17T15:00:00+07:00"}"#)
        t.request(5, "2025-03-17", ["STC", "STP"], deadline: "2025-03-21")
        t.reply(2, "2025-03-18", "STC", agree)
        t.reply(5, "2025-03-19", "STC", vague)
        t.on("2025-03-20", "wd-5.json", #"{"kind": "withdrawal", "request": "\#(t.id(5))", "agencies": ["STP"], "reason": "Không cần ý kiến"}"#)
        t.request(6, "2025-03-24", ["SYT"], deadline: "2025-03-26")
        t.reply(2, "2025-03-25", "SYT", agree)
        t.down = ["2025-03-21", "2025-03-22", "2025-03-23", "2025-03-27", "2025-03-28"]
        return t
    }

    /// Runs the days from `first` through `last` on `site` (inclusive); after each day's runs,
    /// `after` is told the day.
    func run(on site: Site, from first: String = "0000", through last: String = "9999", after: (String) throws -> Void = { _ in }) throws {
        for (day, documents) in days where day >= first && day <= last {
            if down.contains(day) { continue }
            try site.ok("\(day)T08:00:00+07:00")
            var seen: Set<String> = []
            var later: [(String, String)] = []
            for (name, text) in documents {
                if seen.insert(name).inserted { site.put(name, text) } else { later.append((name, text)) }
            }
            if !documents.isEmpty { try site.ok("\(day)T11:00:00+07:00") }
            for (name, text) in later { site.put(name, text) }
            if !later.isEmpty { try site.ok("\(day)T12:00:00+07:00") }
            try site.deliver(day)
            try after(day)
        }
    }
}

extension Site {
    /// `consultd --once --at`, which must succeed.
    func ok(_ at: String) throws {
        let r = try once(at)
        guard r.status == 0 else { throw Failure("consultd --once --at \(at): \(r.status) \(r.stderr)") }
    }

    /// As a mail consumer would: every other notice of the outbox (by name) moved into
    /// `outbox/sent/DAY/`.
    func deliver(_ day: String) throws {
        let outbox = root + "/spool/outbox"
        for (i, name) in list("spool/outbox").filter({ $0.hasSuffix(".json") }).enumerated() where i % 2 == 0 {
            try FileManager.default.createDirectory(atPath: outbox + "/sent/" + day, withIntermediateDirectories: true)
            guard rename(outbox + "/" + name, outbox + "/sent/\(day)/" + name) == 0 else { throw Failure("cannot move \(name)") }
        }
    }

    func ctl(_ arguments: [String]) throws -> Outcome {
        try execute(binary("consultctl"), ["--config", config] + arguments)
    }

    /// Every file under `dir` (relative to the site), with its inode, modification time and bytes.
    func files(_ dir: String) -> [String: FileFacts] {
        var found: [String: FileFacts] = [:]
        let base = root + "/" + dir
        for path in FileManager.default.enumerator(atPath: base)?.compactMap({ $0 as? String }) ?? [] {
            var st = stat()
            // Staging (outbox/.tmp, done/.tmp …) is no part of what is compared.
            guard lstat(base + "/" + path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, !path.hasPrefix("."), !path.contains("/.") else { continue }
            found[path] = FileFacts(inode: UInt64(st.st_ino), modified: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                                    bytes: FileManager.default.contents(atPath: base + "/" + path) ?? Data())
        }
        return found
    }

    /// `list --all` and `show` of every consultation, as JSON text.
    func views() throws -> (list: String, shows: [String: String]) {
        let list = try ctl(["list", "--all", "--format", "json"])
        guard list.status == 0, case let .array(items) = try JSONReader.parse(Array(list.stdout.utf8)) else { throw Failure(list.stderr) }
        var shows: [String: String] = [:]
        for item in items {
            guard case let .string(id)? = item["id"] else { continue }
            shows[id] = try ctl(["show", id, "--format", "json"]).stdout
        }
        return (list.stdout, shows)
    }
}

struct FileFacts: Equatable {
    let inode: UInt64
    let modified: Int64
    let bytes: Data
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@Suite("consultctl backup and restore", .serialized)
struct RestoreTests {
    /// Two sites take the same month; one is backed up mid-month, goes on, is stopped and
    /// restored, and both start again: the restored one equals the one never restored.
    @Test(.tags(.slow, .root), .skippedWhenFast) func aRestoreEqualsAnUninterruptedRun() throws {
        try #require(try ensureJournald())
        let prefix = "RS" + UUID().uuidString.prefix(6)
        let month = Timeline.month(prefix)
        let never = try Site(), restored = try Site()
        try month.run(on: never)
        let backup = restored.root + "/backup.sqlite"
        var printed = ""
        try month.run(on: restored) { day in
            guard day == "2025-03-13" else { return }
            let b = try restored.ctl(["backup", backup])
            #expect(b.status == 0, "\(b.stderr)")
            printed = b.stdout
        }
        #expect(printed.contains("last document applied: r-4-stc.json (reply of \(prefix)-4, STC), at 2025-03-12T11:00:00+07:00"), "\(printed)")
        #expect(try never.views() == restored.views(), "the two sites took the same month")
        #expect(never.list("spool/rejected") == ["bad.json", "bad.json.error.json"])
        let before = restored.files("spool/outbox")
        #expect(before.keys.contains { $0.hasPrefix("sent/") } && before.keys.contains { !$0.hasPrefix("sent/") })

        // As the README's procedure: stop (nothing runs between --once runs), restore, start.
        let r = try restored.ctl(["restore", backup])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["req-5.json", "reply.json.1", "res-1.json", "wd-5.json", "req-6.json"] {
            #expect(r.stdout.contains("replayed  done/") && r.stdout.contains("/\(name) "), "\(name): \(r.stdout)")
        }
        #expect(r.stdout.contains("0 to be written when consultd starts"), "\(r.stdout)")
        #expect(!r.stdout.contains("REFUSED"))
        let restoredViews = try restored.views()
        for site in [never, restored] { try site.ok("2025-04-01T08:00:00+07:00") }
        let (neverList, neverShows) = try never.views()
        let (restoredList, restoredShows) = try restored.views()
        #expect(neverList == restoredList)
        #expect(neverShows.count == 6)
        for (id, show) in neverShows { #expect(restoredShows[id] == show, "show \(id)") }
        #expect(restoredViews.list.contains(prefix + "-6"))

        // No outbox or sent/ file written again: same inode, time and bytes; and the start after
        // the restore wrote only the notices of 2025-04-01, as the site never restored did.
        let after = restored.files("spool/outbox")
        for (path, facts) in before { #expect(after[path] == facts, "\(path) was rewritten") }
        let neverAfter = never.files("spool/outbox")
        #expect(Set(after.keys) == Set(neverAfter.keys))

        // The journal shows the replay.
        let replayed = try journalEntries(["CONSULT_EVENT=replayed", "CONSULT_ID=\(prefix)-5"], atLeast: 3)
        #expect(Set(replayed.compactMap { $0["CONSULT_FILE"] }) == ["req-5.json", "r-5-stc.json", "wd-5.json"])
        let summary = try journalEntries(["CONSULT_EVENT=restored", "CONSULT_FILE=\(backup)"], atLeast: 1)
        #expect(summary.first?["MESSAGE"]?.contains("replayed ") == true)
        #expect(summary.first?["PRIORITY"] == "5")
        // The store replaced is kept beside the restored one.
        #expect(restored.list("state").contains { $0.hasPrefix("state.sqlite.replaced-") })
        #expect(try restored.ctl(["verify"]).status == 0)
    }

    /// A restore while the daemon runs is refused, and a daemon cannot start while a restore holds
    /// the store; a file that is no consultd backup is refused and the store left as it was.
    @Test func refusalsLeaveTheStoreAsItWas() throws {
        let site = try Site()
        site.put("req.json", #"{"kind": "request", "id": "RF-1", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        try site.ok("2025-03-03T10:00:00+07:00")
        let state = site.root + "/state/state.sqlite"
        let original = try Data(contentsOf: URL(fileURLWithPath: state))
        func restore(_ file: String) throws -> Outcome { try site.ctl(["restore", file]) }

        #expect(try restore(site.root + "/nothing.sqlite").status == 66)
        let text = site.root + "/notes.txt"
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        let notSQLite = try restore(text)
        #expect(notSQLite.status == 65 && notSQLite.stderr.contains("not an SQLite database"), "\(notSQLite.stderr)")
        let other = site.root + "/other.sqlite"
        try execute("/usr/bin/sqlite3", [other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);"])
        let foreign = try restore(other)
        #expect(foreign.status == 65 && foreign.stderr.contains("not a consultd state store"), "\(foreign.stderr)")
        let backup = site.root + "/backup.sqlite"
        #expect(try site.ctl(["backup", backup]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        let torn = site.root + "/torn.sqlite"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: torn))
        #expect(try restore(torn).status == 65)
        let rigged = site.root + "/rigged.sqlite"
        try bytes.write(to: URL(fileURLWithPath: rigged))
        try execute("/usr/bin/sqlite3", [rigged, "CREATE TRIGGER t AFTER INSERT ON ledger BEGIN DELETE FROM ledger; END;"])
        let trigger = try restore(rigged)
        #expect(trigger.status == 65 && trigger.stderr.contains("trigger t"), "\(trigger.stderr)")
        #expect(try restore(state).status == 64)
        #expect(try restore(site.root + "/spool").status == 65)

        // consultctl restore while a daemon holds the store: 69; consultd while a restore does: 69.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--close", "--shared", site.root + "/state", "sleep", "30"]
        try holder.run()
        // SIGKILL: the test's threads block SIGTERM, and a child inherits that.
        defer { kill(holder.processIdentifier, SIGKILL) }
        func locked(_ how: String) -> Bool { (try? execute("/usr/bin/flock", ["--nonblock", how, site.root + "/state", "true"]))?.status != 0 }
        try #require(eventually { locked("--exclusive") })
        let running = try restore(backup)
        #expect(running.status == 69 && running.stderr.contains("consultd is running"), "\(running.stderr)")
        // Not waitUntilExit: Foundation waits for the sleep, which inherited its exit pipe.
        kill(holder.processIdentifier, SIGKILL)
        try #require(eventually { !locked("--exclusive") })
        let restoring = Process()
        restoring.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        restoring.arguments = ["--close", "--exclusive", site.root + "/state", "sleep", "30"]
        try restoring.run()
        defer { kill(restoring.processIdentifier, SIGKILL) }
        try #require(eventually { locked("--shared") })
        let starting = try site.once("2025-03-04T10:00:00+07:00")
        #expect(starting.status == 69 && starting.stderr.contains("being restored"), "\(starting.stderr)")
        kill(restoring.processIdentifier, SIGKILL)
        try #require(eventually { !locked("--exclusive") })

        #expect(try Data(contentsOf: URL(fileURLWithPath: state)) == original, "the state store was changed")
        // Nothing left beside the store: no copy, no scratch folder.
        let beside = try FileManager.default.contentsOfDirectory(atPath: site.root + "/state")
        #expect(beside.allSatisfy { ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"].contains($0) }, "\(beside)")
        // And the backup restores.
        let ok = try restore(backup)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("replayed 0 documents"), "\(ok.stdout)")

        // On a new machine where consultd never started: the state folder is made, as
        // StateDirectory= would (0750, the owner of done/).
        let fresh = try Site()
        try FileManager.default.createDirectory(atPath: fresh.root + "/spool/done", withIntermediateDirectories: true)
        let first = try fresh.ctl(["restore", backup])
        #expect(first.status == 0, "\(first.stderr)")
        var st = stat()
        #expect(stat(fresh.root + "/state", &st) == 0 && st.st_mode & 0o7777 == 0o750)
        #expect(try fresh.ctl(["show", "RF-1", "--format", "json"]).status == 0)
    }

    /// Through the service, as an administrator would: a restore while consultd runs is
    /// refused; stopped, restored, started again, the service writes no notice the outbox or
    /// `sent/` holds, and carries on from the restored store.
    @Test(.tags(.slow, .root), .skippedWhenFast) func theServiceStoppedRestoredAndStarted() throws {
        try #require(try ensureJournald())
        var week = Timeline(prefix: "RV" + UUID().uuidString.prefix(6), through: "2025-03-14")
        week.request(1, "2025-03-03", ["STC", "STP"], deadline: "2025-03-07")
        week.reply(1, "2025-03-04", "STC", Timeline.vague)
        week.request(2, "2025-03-05", ["SYT"], deadline: "2025-03-07")
        week.reply(2, "2025-03-10", "SYT", Timeline.dissent)
        let site = try Site()
        let backup = site.root + "/backup.sqlite"
        try week.run(on: site) { day in
            if day == "2025-03-04" { _ = try site.ctl(["backup", backup]) }
        }
        let listener = try NotifyListener()
        var daemon = try startService(site, notify: listener)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        try #require(listener.wait(for: "READY=1") != nil)
        #expect(listener.wait(for: "STATUS=2 open consultations") != nil)
        let refused = try site.ctl(["restore", backup])
        #expect(refused.status == 69 && refused.stderr.contains("stop it first"), "\(refused.stderr)")
        daemon.terminate()
        daemon.waitUntilExit()
        let before = site.files("spool/outbox")
        let views = try site.views()
        let r = try site.ctl(["restore", backup])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try site.views() == views)
        let again = try NotifyListener()
        daemon = try startService(site, notify: again)
        try #require(again.wait(for: "READY=1") != nil)
        #expect(again.wait(for: "STATUS=2 open consultations") != nil)
        daemon.terminate()
        daemon.waitUntilExit()
        let after = site.files("spool/outbox")
        for (path, facts) in before { #expect(after[path] == facts, "\(path) was rewritten") }
        #expect(try site.ctl(["list", "--all", "--format", "json"]).stdout == views.list)
    }

    /// A short timeline, backed up on its second day: the fast form of the month above.
    @Test func aWeekRestoredEqualsTheWeekRun() throws {
        var week = Timeline(prefix: "RW" + UUID().uuidString.prefix(6), through: "2025-03-14")
        week.request(1, "2025-03-03", ["STC", "STP"], deadline: "2025-03-07")
        week.reply(1, "2025-03-04", "STC", Timeline.vague)
        week.request(2, "2025-03-05", ["SYT"], deadline: "2025-03-07")
        week.reply(1, "2025-03-06", "STC", Timeline.agree)
        week.reply(2, "2025-03-10", "SYT", Timeline.dissent)
        let never = try Site(), restored = try Site()
        try week.run(on: never)
        let backup = restored.root + "/backup.sqlite"
        try week.run(on: restored) { day in
            if day == "2025-03-04" {
                let b = try restored.ctl(["backup", backup])
                #expect(b.status == 0, "\(b.stderr)")
            }
        }
        let before = restored.files("spool/outbox")
        let r = try restored.ctl(["restore", backup])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try never.views() == restored.views())
        for (path, facts) in before { #expect(restored.files("spool/outbox")[path] == facts, "\(path) was rewritten") }
    }
}
