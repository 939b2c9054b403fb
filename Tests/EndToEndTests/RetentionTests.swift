import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `[retention]` over a year of `consultd --once --at` runs, one each working day, with a mail
/// consumer moving every notice into `outbox/sent/DAY/`.
@Suite("Retention", .serialized)
struct RetentionTests {
    static let settings = "[retention]\ndone_days = 30\nrejected_days = 10\nsent_days = 20\n"

    /// Every week a consultation of STC opens and STC agrees two days later, except every
    /// fifth, which STC never answers (open all year, its files kept whatever their age); every
    /// third week a refused file. At the year's end exactly what is past its days and not of an
    /// open consultation is gone, `prune --dry-run` listed what a sweep removed before it did,
    /// and the journal's entries count every file removed.
    @Test(.tags(.slow, .root), .skippedWhenFast) func aYearRemovesExactlyWhatItShould() throws {
        try #require(try ensureJournald())
        let site = try Site(extra: Self.settings)
        let prefix = "RT" + UUID().uuidString.prefix(6)
        var open: Set<String> = []
        /// Where each consultation's documents and each refused file went, and on which day.
        var doneFiles: [(day: LocalDate, path: String, consultation: String)] = []
        var refused: [(day: LocalDate, name: String)] = []
        var delivered = 0
        var day = LocalDate(iso: "2025-01-06")!
        let last = LocalDate(iso: "2025-12-31")!
        var week = 0
        var checkedDryRun = false
        while day <= last {
            defer { day = day.adding(days: 1) }
            guard !day.isWeekend else { continue }
            var handed: [(String, String)] = []
            if day.weekday == 1 {
                week += 1
                let id = "\(prefix)-\(week)"
                handed.append(("req-\(week).json", #"{"kind": "request", "id": "\#(id)", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "\#(day)T09:00:00+07:00", "reply_days": 5}"#))
                if week % 5 == 0 { open.insert(id) }
                if week % 3 == 0 { handed.append(("bad-\(week).json", "{ not json")) }
            }
            if day.weekday == 3, week % 5 != 0 {
                handed.append(("r-\(week).json", #"{"kind": "reply", "request": "\#(prefix)-\#(week)", "agency": "STC", "received": "\#(day)T10:00:00+07:00", "position": "agree"}"#))
            }
            for (name, text) in handed { site.put(name, text) }
            let at = "\(day)T11:00:00+07:00"
            // Halfway: what prune --dry-run lists is what the next sweep removes.
            let dryRun = !checkedDryRun && day >= LocalDate(iso: "2025-07-01")! ? try site.ctl(["prune", "--dry-run", "--at", at]) : nil
            let before = Set(site.files("spool").keys)
            try site.ok(at)
            if let dryRun {
                #expect(dryRun.status == 0, "\(dryRun.stderr)")
                #expect(dryRun.stdout.contains("keep "))
                let listed = Set(dryRun.stdout.split(separator: "\n").filter { $0.hasPrefix("would remove  ") }
                    .map { String($0.dropFirst("would remove  ".count).prefix { $0 != " " }) })
                let gone = before.subtracting(site.files("spool").keys).filter { !$0.hasPrefix("new/") }.map { site.root + "/spool/" + $0 }
                #expect(listed == Set(gone), "dry run \(listed.subtracting(gone)) vs removed \(Set(gone).subtracting(listed))")
                checkedDryRun = !listed.isEmpty
            }
            for (name, text) in handed {
                if text.hasPrefix("{ not") { refused.append((day, name)) } else {
                    doneFiles.append((day, "done/\(day)/\(name)", "\(prefix)-\(week)"))
                }
            }
            for name in site.list("spool/outbox") where name.hasSuffix(".json") {
                try FileManager.default.createDirectory(atPath: site.root + "/spool/outbox/sent/\(day)", withIntermediateDirectories: true)
                #expect(rename(site.root + "/spool/outbox/" + name, site.root + "/spool/outbox/sent/\(day)/" + name) == 0)
                delivered += 1
            }
        }
        #expect(checkedDryRun)
        let end = last
        // What stays: done/ within 30 days or of an open consultation; rejected/ within 10 days;
        // sent/ within 20 days or of an open consultation.
        let present = Set(site.files("spool").keys)
        var expected: Set<String> = []
        for file in doneFiles where file.day.adding(days: 30) >= end || open.contains(file.consultation) { expected.insert(file.path) }
        for file in refused where file.day.adding(days: 10) >= end {
            expected.formUnion(["rejected/\(file.name)", "rejected/\(file.name).error.json"])
        }
        for path in present where path.hasPrefix("outbox/sent/") {
            let parts = path.split(separator: "/")
            let date = LocalDate(iso: String(parts[2]))!
            let id = Retention.consultation(ofNoticeID: parts[3].dropLast(5)) { open.contains(String($0)) }
            #expect(date.adding(days: 20) >= end || id != nil, "\(path) outlived sent_days")
            expected.insert(path)
        }
        #expect(present.filter { $0.hasPrefix("done/") || $0.hasPrefix("rejected/") } == expected.filter { !$0.hasPrefix("outbox/") },
                "done/ and rejected/ hold exactly what they should")
        // Every notice of an open consultation is still there, the oldest from January.
        let sentOpen = present.filter { path in path.hasPrefix("outbox/sent/") && open.contains { path.contains("/\($0).STC.") } }
        #expect(sentOpen.count == open.count * 4, "reminder, overdue, escalation-1, escalation-2 of each open consultation")
        #expect(sentOpen.contains { $0.hasPrefix("outbox/sent/2025-02") })
        // Day folders that emptied are gone.
        #expect(!site.list("spool/done").contains("2025-01-08"))
        // The journal's entries add up to everything removed.
        let made = doneFiles.count + refused.count * 2 + delivered
        let removed = made - present.filter { !$0.hasPrefix("outbox/") || $0.hasPrefix("outbox/sent/") }.count
        let entries = try journalEntries(["CONSULT_EVENT=retention"], atLeast: 1).filter { $0["MESSAGE"]?.contains(site.root + "/spool/done/") == true }
        let told = entries.reduce(0) { sum, entry in
            sum + ["CONSULT_REMOVED_DONE", "CONSULT_REMOVED_REJECTED", "CONSULT_REMOVED_SENT"].reduce(0) { $0 + (Int(entry[$1] ?? "") ?? 0) }
        }
        #expect(removed > 0 && told == removed, "journal told \(told), removed \(removed)")
        #expect(entries.count <= 260)
        // verify knows what retention removed.
        let verify = try site.ctl(["verify"])
        #expect(verify.status == 0 && verify.stdout.contains("removed by retention"), "\(verify.stdout)")
    }

    /// The sweep at the first pass of a day, not again that day; `prune` sweeps on demand; a
    /// configuration without `[retention]` removes nothing.
    @Test func onceADayAndOnDemand() throws {
        let site = try Site(extra: "[retention]\ndone_days = 1\n")
        site.put("req.json", #"{"kind": "request", "id": "RD-1", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-05"}"#)
        site.put("old.json", #"{"kind": "request", "id": "RD-2", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-05"}"#)
        try site.ok("2025-03-03T10:00:00+07:00")
        site.put("r.json", #"{"kind": "reply", "request": "RD-2", "agency": "STC", "received": "2025-03-04T10:00:00+07:00", "position": "agree"}"#)
        try site.ok("2025-03-04T10:00:00+07:00")
        #expect(site.list("spool/done/2025-03-03") == ["old.json", "req.json"])
        // 2025-03-05: done/2025-03-03 is past its day; RD-2 is completed, RD-1 open.
        let dry = try site.ctl(["prune", "--dry-run", "--at", "2025-03-05T07:00:00+07:00"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would remove  \(site.root)/spool/done/2025-03-03/old.json "), "\(dry.stdout)")
        #expect(dry.stdout.contains("keep          \(site.root)/spool/done/2025-03-03/req.json ") && dry.stdout.contains("consultation RD-1 is open"))
        #expect(dry.stdout.contains("would remove 1 file (done 1, rejected 0, sent 0)"))
        #expect(site.list("spool/done/2025-03-03") == ["old.json", "req.json"])
        try site.ok("2025-03-05T10:00:00+07:00")
        #expect(site.list("spool/done/2025-03-03") == ["req.json"])
        // Another document of RD-2 comes back to done/2025-03-03 (as if a restore put it back):
        // the day's sweep is done, so it stays until tomorrow's; prune removes it now.
        _ = FileManager.default.createFile(atPath: site.root + "/spool/done/2025-03-03/old.json",
                                           contents: FileManager.default.contents(atPath: site.root + "/spool/done/2025-03-04/r.json"))
        try site.ok("2025-03-05T16:00:00+07:00")
        #expect(site.list("spool/done/2025-03-03") == ["old.json", "req.json"])
        let prune = try site.ctl(["prune", "--at", "2025-03-05T17:00:00+07:00"])
        #expect(prune.status == 0 && prune.stdout.contains("removed 1 file"), "\(prune.stdout)")
        #expect(site.list("spool/done/2025-03-03") == ["req.json"])
        try site.ok("2025-03-06T10:00:00+07:00")
        #expect(site.list("spool/done/2025-03-04").isEmpty)
        #expect(!site.list("spool/done").contains("2025-03-04"), "the emptied day folder is removed")

        let plain = try Site()
        #expect(try plain.ctl(["prune", "--dry-run"]).stdout.contains("sets no [retention] days"))
    }
}
