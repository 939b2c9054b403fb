import ConsultConfig
import ConsultCore
@testable import ConsultEngine
import ConsultStore
import ConsultSystemd
import ConsultTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// An engine over a fresh spool and store in a temporary folder.
struct Bench {
    let root: String
    let engine: Engine
    let store: Store

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Who may submit for each agency under `authorization = "owner"`: root by name (SXD), only
    /// nobody (STC), root's group (STP), no one (SYT).
    static let agencies = zip(TestAgency.city, [["user:root"], ["user:nobody"], ["group:root"], []]).map { agency, submitters in
        var a = agency
        a.submitters = submitters
        return a
    }

    init(authorization: String = "off", extra: String = "", root: String? = nil) throws {
        let root = try root ?? TemporaryFolder.make("engine")
        self.root = root
        let text = """
            spool = "\(root)/spool"
            state = "\(root)/state.sqlite"
            calendar = "\(Self.repository)/config/calendars/vn.toml"
            authorization = "\(authorization)"
            max_document_bytes = 65536
            \(extra)
            """ + TestAgency.configuration(Self.agencies)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let config = try Configuration.parse(text, path: root + "/consultd.toml")
        store = try Store(path: config.state)
        engine = try Engine(configuration: config, calendar: try CalendarFile.load(path: config.calendarPath), store: store,
                            journal: Journal(destination: .discard), logger: Logger(label: "test"))
    }

    var new: String { root + "/spool/new" }

    func put(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: new + "/" + name, contents: Data(text.utf8))
    }

    func run(_ at: String) throws -> PassSummary { try engine.runOnce(now: Instant(rfc3339: at)!) }

    func list(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/spool/" + dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func sidecar(_ name: String) throws -> JSONValue {
        try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/spool/rejected/\(name).error.json"))))
    }

    func code(_ name: String) throws -> String? {
        if case let .string(s) = try sidecar(name)["code"] { return s }
        return nil
    }

    static let request = #"""
        {"kind": "request", "id": "HN-2025-SXD-0153", "title": "Dự thảo Đề án nhà ở xã hội", "lead": "SXD",
         "consulted": ["STC", "STP"], "sent": "2025-01-20T09:15:00+07:00", "reply_days": 10}
        """#
}

@Suite("Engine")
struct EngineTests {
    @Test func hostileDocumentsAreRefusedWhileValidOnesApply() throws {
        let b = try Bench()
        b.put("01-request.json", Bench.request)
        b.put("02-reply.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-02-03T10:00:00+07:00","position":"agree"}"#)
        b.put("bad-json.json", "{\"kind\": ")
        b.put("wrong-type.json", #"{"kind":"request","id":"X1","title":"t","lead":"SXD","consulted":"STC","sent":"2025-01-20T09:15:00+07:00"}"#)
        b.put("unknown-kind.json", #"{"kind":"memo"}"#)
        b.put("unknown-agency.json", #"{"kind":"request","id":"X2","title":"t","lead":"SXD","consulted":["SGTVT"],"sent":"2025-01-20T09:15:00+07:00"}"#)
        b.put("unknown-request.json", #"{"kind":"extension","request":"NOPE","deadline":"2025-03-01","reason":"x"}"#)
        b.put("not-consulted.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"SYT","received":"2025-02-03T10:00:00+07:00","position":"agree"}"#)
        b.put("traversal.json", #"{"kind":"request","id":"../../etc/passwd","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:15:00+07:00"}"#)
        b.put("conflict.json", Bench.request.replacingOccurrences(of: "reply_days\": 10", with: "reply_days\": 12"))
        _ = FileManager.default.createFile(atPath: b.new + "/utf8.json", contents: Data([0x7B, 0x22, 0xFF, 0x22, 0x7D]))
        _ = FileManager.default.createFile(atPath: b.new + "/big.json", contents: Data(repeating: 0x20, count: 70_000))
        try FileManager.default.createSymbolicLink(atPath: b.new + "/link.json", withDestinationPath: "/etc/passwd")
        _ = mkfifo(b.new + "/fifo.json", 0o644)
        b.put(".hidden.json", "{")

        let summary = try b.run("2025-02-03T12:00:00+07:00")
        #expect(summary.applied == 2)
        #expect(summary.refused == 12)
        #expect(b.list("new") == [])
        #expect(b.list("done/2025-02-03") == ["01-request.json", "02-reply.json"])
        let expected = [
            "bad-json.json": "malformed_json", "wrong-type.json": "invalid_field", "unknown-kind.json": "unknown_kind",
            "unknown-agency.json": "unknown_agency", "unknown-request.json": "unknown_request",
            "not-consulted.json": "not_consulted", "traversal.json": "invalid_field", "conflict.json": "duplicate_conflict",
            "utf8.json": "invalid_utf8", "big.json": "too_large", "link.json": "not_regular_file", "fifo.json": "not_regular_file",
        ]
        for (name, code) in expected {
            #expect(try b.code(name) == code, "\(name)")
            let sidecar = try b.sidecar(name)
            #expect(sidecar["file"] == .string(name))
            if case let .string(reason) = sidecar["reason"] { #expect(!reason.isEmpty) } else { Issue.record("no reason") }
        }
        #expect(FileManager.default.fileExists(atPath: b.root + "/spool/new/.hidden.json"))
        let c = try #require(try b.store.read { tx in try tx.consultation("HN-2025-SXD-0153") })
        #expect(c.duties.map { "\($0.agency) \($0.status.rawValue) \($0.due)" } == ["STC discharged 2025-02-10", "STP open 2025-02-10"])
    }

    @Test func reDeliveredDocumentsAreNoOps() throws {
        let b = try Bench()
        b.put("request.json", Bench.request)
        #expect(try b.run("2025-01-21T09:00:00+07:00").applied == 1)
        b.put("request.json", Bench.request)
        b.put("request-again.json", Bench.request.replacingOccurrences(of: "\n", with: " "))
        let again = try b.run("2025-01-21T10:00:00+07:00")
        #expect(again.applied == 0)
        #expect(again.duplicates == 2)
        #expect(b.list("done/2025-01-21") == ["request-again.json", "request.json", "request.json.1"])
        #expect(b.list("rejected").isEmpty)
    }

    @Test func orphanRepliesAreHeldThenAppliedOrRefused() throws {
        let b = try Bench()
        b.put("reply.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        b.put("orphan.json", #"{"kind":"reply","request":"HN-NEVER","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        let first = try b.run("2025-01-22T11:00:00+07:00")
        #expect(first.held == 2)
        #expect(b.list("new") == ["orphan.json", "reply.json"])
        b.put("request.json", Bench.request)
        let second = try b.run("2025-01-23T11:00:00+07:00")
        #expect(second.applied == 2)
        #expect(b.list("new") == ["orphan.json"])
        let c = try #require(try b.store.read { tx in try tx.consultation("HN-2025-SXD-0153") })
        #expect(c.duties.first { $0.agency == "STC" }?.status == .discharged)
        // orphan_days = 7 after it was first seen.
        #expect(try b.run("2025-01-29T10:59:00+07:00").held == 1)
        let expired = try b.run("2025-01-29T11:00:00+07:00")
        #expect(expired.refused == 1)
        #expect(try b.code("orphan.json") == "unknown_request")
    }

    /// A backlog larger than one round of intake: a reply read in an early round whose request
    /// comes in a later one is applied in the same pass, not left for the next.
    @Test func aReplyFindsItsRequestInALaterRound() throws {
        let b = try Bench()
        b.engine.intake.roundSize = 2
        b.put("a-reply.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        b.put("b-orphan.json", #"{"kind":"reply","request":"HN-NEVER","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        b.put("z-request.json", Bench.request)
        let pass = try b.run("2025-01-22T11:00:00+07:00")
        #expect(pass.applied == 2)
        #expect(pass.held == 1)
        #expect(b.list("new") == ["b-orphan.json"])
        let c = try #require(try b.store.read { tx in try tx.consultation("HN-2025-SXD-0153") })
        #expect(c.duties.first { $0.agency == "STC" }?.status == .discharged)
    }

    /// Batches cover a round exactly, in order; they start and end small so that the store's
    /// thread and the moving thread overlap from the first batch to the last.
    @Test func batchesCoverTheRoundAndRampAtBothEnds() {
        for count in [0, 1, 100, 255, 256, 2048, 2049, 5000, 20_000, 32_768] {
            let batches = Intake.batches(count, size: 2048)
            #expect(batches.map(\.count).reduce(0, +) == count)
            #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(batches.first?.lowerBound ?? 0 == 0)
            #expect(batches.allSatisfy { !$0.isEmpty && $0.count <= 2048 })
        }
        let sizes = Intake.batches(20_000, size: 2048).map(\.count)
        #expect(Array(sizes.prefix(3)) == [256, 512, 1024])
        #expect(Array(sizes.suffix(3)) == [1024, 512, 256])
        #expect(Intake.batches(100, size: 2048).map(\.count) == [100])
    }

    /// Every part runs once, each other part on a thread of its own, and the call returns only
    /// after all have; repeated, so that a thread still holding the body when the call returns
    /// (which a non-escaping body would not survive) shows up.
    @Test func partsRunOnceEachOnThreadsOfTheirOwn() {
        for count in [1, 2, 8] {
            for _ in 0..<300 {
                let parts = Mutex([[Int]](repeating: [], count: count))
                let caller = pthread_self()
                onThreads(count) { part in
                    #expect((pthread_equal(pthread_self(), caller) != 0) == (part == 0))
                    parts.withLock { $0[part] = [part] }
                }
                #expect(Array(parts.withLock { $0 }.joined()) == Array(0..<count))
            }
        }
    }

    /// The journal line runs work in the order handed over, off the caller's thread; `drain`
    /// waits for what was handed over, `close` for everything.
    @Test func aSerialThreadKeepsOrderAndDrains() {
        let line = SerialThread(name: "test-line")
        let done = Mutex([Int]())
        let caller = pthread_self()
        for i in 0..<1000 {
            line.submit {
                #expect(pthread_equal(pthread_self(), caller) == 0)
                if i == 0 { Thread.sleep(forTimeInterval: 0.05) }   // later work must still wait its turn
                done.withLock { $0.append(i) }
            }
            if i == 499 {
                line.drain()
                #expect(done.withLock { $0 } == Array(0..<500))
            }
        }
        line.close()
        #expect(done.withLock { $0 } == Array(0..<1000))
    }

    /// Requests are applied grouped by consultation id, not in the order they were sent: when
    /// two requests share an id, the one sent first still opens the consultation, whatever the
    /// batches.
    @Test func theEarlierOfTwoRequestsWithOneIDWinsWhateverTheBatches() throws {
        for size in [1, 2, 2048] {
            let b = try Bench()
            b.engine.intake.batchSize = size
            b.put("a.json", #"{"kind":"request","id":"R-2","title":"Later","lead":"SXD","consulted":["STC"],"sent":"2025-01-21T09:00:00+07:00","reply_days":5}"#)
            b.put("b.json", #"{"kind":"request","id":"R-1","title":"Other","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T10:00:00+07:00","reply_days":5}"#)
            b.put("c.json", #"{"kind":"request","id":"R-2","title":"Earlier","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:00:00+07:00","reply_days":5}"#)
            let pass = try b.run("2025-01-22T11:00:00+07:00")
            #expect(pass.applied == 2)
            #expect(pass.refused == 1)
            #expect(try b.code("a.json") == "duplicate_conflict")
            let c = try #require(try b.store.read { tx in try tx.consultation("R-2") })
            #expect(c.request.title == "Earlier")
        }
    }

    @Test func repeatedRunsBehaveAsTheServiceWould() throws {
        let b = try Bench()
        b.put("request.json", Bench.request)
        var outbox: [[String]] = []
        for at in ["2025-01-20T10:00:00+07:00", "2025-02-06T08:00:00+07:00", "2025-02-06T09:00:00+07:00",
                   "2025-02-11T08:00:00+07:00", "2025-02-13T08:00:00+07:00", "2025-02-17T08:00:00+07:00",
                   "2025-03-31T08:00:00+07:00"] {
            _ = try b.run(at)
            outbox.append(b.list("outbox"))
        }
        let id = "HN-2025-SXD-0153"
        #expect(outbox[0].isEmpty)
        #expect(outbox[1] == ["\(id).STC.reminder.json", "\(id).STP.reminder.json"])
        #expect(outbox[2] == outbox[1])
        #expect(outbox[3].count == 4)
        #expect(outbox[5].count == 8)
        #expect(outbox[6] == outbox[5])
        let overdue = try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: b.root + "/spool/outbox/\(id).STC.overdue.json"))))
        #expect(overdue["days_late"] == .number("1"))
        #expect(overdue["late_detected"] == .bool(false))
        #expect(overdue["created"] == .string("2025-02-11T08:00:00+07:00"))
        #expect(overdue["to"] == .strings(["office.stc@example.vn"]))
        #expect(overdue["cc"] == .strings(["office.sxd@example.vn"]))
    }

    @Test func notGoingBackInTimeFiresNothingTwice() throws {
        let b = try Bench()
        b.put("request.json", Bench.request)
        _ = try b.run("2025-02-12T09:00:00+07:00")
        #expect(b.list("outbox").count == 2)
        #expect(try b.run("2025-02-06T09:00:00+07:00").notices == 0)
        #expect(try b.run("2025-02-12T09:00:00+07:00").notices == 0)
    }

    @Test func noticesCommittedButNotDeliveredAreDeliveredOnTheNextRun() throws {
        let b = try Bench()
        b.put("request.json", Bench.request)
        b.put("vague.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree","text":"Về cơ bản thống nhất."}"#)
        _ = try b.run("2025-01-22T11:00:00+07:00")
        let file = b.root + "/spool/outbox/HN-2025-SXD-0153.STC.vague.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        // As if the process died after the commit and before the outbox write.
        try FileManager.default.removeItem(atPath: file)
        let db = b.root + "/state.sqlite"
        let sql = Process()
        sql.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sql.arguments = [db, "UPDATE ledger SET delivered = 0 WHERE notice_id = 'HN-2025-SXD-0153.STC.vague'"]
        try sql.run()
        sql.waitUntilExit()
        #expect(sql.terminationStatus == 0)
        let next = try b.run("2025-01-22T12:00:00+07:00")
        #expect(next.notices == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == original)
        #expect(try b.run("2025-01-22T13:00:00+07:00").notices == 0)
    }

    @Test func aNoticeAlreadyWrittenIsNeverWrittenAgain() throws {
        let b = try Bench()
        b.put("request.json", Bench.request)
        b.put("vague.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree","text":"Về cơ bản thống nhất."}"#)
        _ = try b.run("2025-01-22T11:00:00+07:00")
        let outbox = b.root + "/spool/outbox"
        let vague = "HN-2025-SXD-0153.STC.vague.json"
        // The consumer filed it under the day it delivered it; the store says it is pending (a
        // crash between the write and the record).
        try FileManager.default.createDirectory(atPath: outbox + "/sent/2025-01-23", withIntermediateDirectories: true)
        #expect(rename(outbox + "/" + vague, outbox + "/sent/2025-01-23/" + vague) == 0)
        let inode = try FileManager.default.attributesOfItem(atPath: outbox + "/sent/2025-01-23/" + vague)[.systemFileNumber] as? Int
        try sqlite(b.root + "/state.sqlite", "UPDATE ledger SET delivered = 0 WHERE notice_id = 'HN-2025-SXD-0153.STC.vague'")
        #expect(try b.run("2025-01-23T12:00:00+07:00").notices == 1)
        #expect(!FileManager.default.fileExists(atPath: outbox + "/" + vague))
        #expect(try FileManager.default.attributesOfItem(atPath: outbox + "/sent/2025-01-23/" + vague)[.systemFileNumber] as? Int == inode)
        #expect(try b.run("2025-01-23T13:00:00+07:00").notices == 0)
        // In outbox/ itself, a file of the daemon's own is not written again either; one of
        // another account (a member of the consumer's group may create files there) is.
        let reminder = outbox + "/HN-2025-SXD-0153.STP.reminder.json"
        _ = FileManager.default.createFile(atPath: reminder, contents: Data("forged".utf8))
        #expect(chown(reminder, 65534, 65534) == 0)
        _ = try b.run("2025-02-06T08:00:00+07:00")
        #expect(try String(contentsOfFile: reminder, encoding: .utf8).contains("\"step\": \"reminder\""))
        let written = try FileManager.default.attributesOfItem(atPath: reminder)
        try sqlite(b.root + "/state.sqlite", "UPDATE ledger SET delivered = 0 WHERE notice_id = 'HN-2025-SXD-0153.STP.reminder'")
        #expect(try b.run("2025-02-06T09:00:00+07:00").notices == 1)
        let again = try FileManager.default.attributesOfItem(atPath: reminder)
        #expect(again[.systemFileNumber] as? Int == written[.systemFileNumber] as? Int)
        #expect(again[.modificationDate] as? Date == written[.modificationDate] as? Date)
    }

    @Test func anArchiveCopyKeepsTheInstantAndRankOfItsApplication() throws {
        let b = try Bench()
        b.put("b-reply.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        b.put("c-request.json", Bench.request)
        b.put("a-reply.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STP","received":"2025-01-21T10:00:00+07:00","position":"agree"}"#)
        // A second no other test of this process archives in (ranks are the process's).
        let at = Instant(rfc3339: "2025-01-22T11:07:13+07:00")!
        _ = try b.engine.runOnce(now: at)
        let day = b.root + "/spool/done/2025-01-22/"
        func modified(_ name: String) -> timespec {
            var st = stat()
            _ = lstat(day + name, &st)
            return st.st_mtim
        }
        // Applied in this order: the request, then the replies by their `received`.
        let times = ["c-request.json", "a-reply.json", "b-reply.json"].map(modified)
        #expect(times.allSatisfy { $0.tv_sec == Int(at.seconds) })
        #expect(times.map(\.tv_nsec) == [0, 1, 2])
        // The next second's copies rank from 0 again.
        b.put("withdraw.json", #"{"kind":"withdrawal","request":"HN-2025-SXD-0153","reason":"x"}"#)
        _ = try b.engine.runOnce(now: at.adding(seconds: 1))
        #expect(modified("withdraw.json").tv_sec == Int(at.seconds) + 1 && modified("withdraw.json").tv_nsec == 0)
    }

    @Test func ownerAuthorization() throws {
        // Files here are owned by root: a submitter of SXD (user:root) and STP (group:root), not of STC.
        let b = try Bench(authorization: "owner")
        b.put("request.json", Bench.request)
        b.put("stc.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        b.put("stp.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STP","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#)
        let summary = try b.run("2025-01-22T11:00:00+07:00")
        #expect(summary.applied == 2)
        #expect(try b.code("stc.json") == "unauthorized")
        if case let .string(reason) = try b.sidecar("stc.json")["reason"] { #expect(reason.contains("root")) }
    }

    @Test func fullLifecycleWithDisagreementAndCompletion() throws {
        let b = try Bench()
        b.put("request.json", Bench.request)
        b.put("stc.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-02-12T10:00:00+07:00","position":"agree_with_comments","comments":["Điều 5 khoản 2: bổ sung nguồn vốn ngân sách thành phố."]}"#)
        b.put("stp.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STP","received":"2025-02-07T10:00:00+07:00","position":"disagree","comments":["Không thống nhất Điều 7 vì trái khoản 3 Điều 30 Luật Đầu tư công 2024."]}"#)
        _ = try b.run("2025-02-12T11:00:00+07:00")
        let id = "HN-2025-SXD-0153"
        #expect(b.list("outbox").contains("\(id).STC.late-reply.json"))
        #expect(b.list("outbox").contains("\(id).STP.disagreement.json"))
        b.put("resolution.json", #"{"kind":"resolution","request":"HN-2025-SXD-0153","agency":"STP","outcome":"Đã thống nhất sửa Điều 7","received":"2025-02-14T15:00:00+07:00"}"#)
        _ = try b.run("2025-02-14T16:00:00+07:00")
        #expect(b.list("outbox").contains("\(id).SXD.completed.json"))
        let c = try #require(try b.store.read { tx in try tx.consultation(id) })
        #expect(c.state == .completed)
        let docs = try b.store.read { tx in try tx.documents(of: id) }
        #expect(docs.map(\.kind) == ["request", "reply", "reply", "resolution"])
    }
}

@Suite("Engine edge cases")
struct EngineEdgeTests {
    @Test func aFileThatVanishesBeforeItIsReadIsPassedOver() throws {
        let b = try Bench()
        let summary = try b.engine.intake.ingestWaiting(now: Instant(rfc3339: "2025-03-04T09:00:00+07:00")!, names: ["ghost.json"])
        #expect(summary == PassSummary())
        #expect(b.list("rejected").isEmpty)
    }
}

/// Runs one statement on an SQLite file with the sqlite3 shell.
func sqlite(_ file: String, _ statement: String) throws {
    let sql = Process()
    sql.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    sql.arguments = [file, statement]
    try sql.run()
    sql.waitUntilExit()
    #expect(sql.terminationStatus == 0)
}
