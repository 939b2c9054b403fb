import ConsultCore
@testable import ConsultStore
import ConsultTestSupport
import Foundation
import GRDB
import Testing

@Suite("State store")
struct StoreTests {
    let dir = try! TemporaryFolder.make("store")
    var path: String { dir + "/state.sqlite" }

    func sample() -> Consultation {
        let facts = CalendarFacts(name: "t", coveredYears: [2025], daysOff: [:], makeUpDays: [:])
        let rules = Rules(directory: Directory(agencies: [:]), calendar: WorkingCalendar(facts: facts),
                          clock: LocalClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!))
        let request = Request(id: "HN-1", title: "Đề án", lead: "SXD", consulted: ["STC", "STP"],
                              sent: Instant(rfc3339: "2025-03-03T09:00:00+07:00")!, replyDays: 5, reference: "12/SXD")
        var c = Consultation.open(request, rules: rules)
        _ = c.fireDueSteps(rules: rules, now: Instant(rfc3339: "2025-03-14T09:00:00+07:00")!)
        return c
    }

    @Test func durableWALWithSynchronousFull() throws {
        let store = try Store(path: path)
        #expect(try store.synchronousLevel() == 2)
        try store.write { tx in try tx.save(sample(), notices: [], now: Instant(seconds: 0)) }
        #expect(try store.synchronousLevel() == 2)
        let mode = try store.queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let reopened = try Store(path: path)
        #expect(try reopened.synchronousLevel() == 2)
        #expect(try reopened.quickCheck() == "ok")
    }

    /// A downgrade: a store a newer consultd migrated is refused, for writing and for reading,
    /// and left as it was.
    @Test func aStoreOfANewerSchemaIsRefusedAndLeftAlone() throws {
        do {
            let store = try Store(path: path)
            try store.write { tx in try tx.save(sample(), notices: [], now: Instant(seconds: 0)) }
            try store.queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
            }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for readOnly in [false, true] {
            #expect {
                _ = try Store(path: path, readOnly: readOnly)
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.code == .newerSchema && error.message.contains(path) && error.message.contains("v99")
                    && error.message.contains("consultctl restore")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func consultationRoundTrip() throws {
        let store = try Store(path: path)
        let c = sample()
        #expect(c.ledger.count == 6)
        try store.write { tx in try tx.save(c, notices: [], now: Instant(seconds: 0)) }
        let loaded = try store.read { tx in try tx.consultation("HN-1") }
        #expect(loaded == c)
        // Saving again is idempotent.
        try store.write { tx in try tx.save(c, notices: [], now: Instant(seconds: 0)) }
        #expect(try store.read { tx in try tx.consultation("HN-1") } == c)
    }

    func plan(_ store: Store, _ sql: String, _ arguments: StatementArguments) throws -> String {
        try store.queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String? ?? "" }
        }.joined(separator: " | ")
    }

    @Test func nextDueStepAndOverdueDutiesAreFoundThroughIndexes() throws {
        let store = try Store(path: path)
        var details = try plan(store, StoreTransaction.stepsDueSQL, [5, 10])
        #expect(details.hasPrefix("SEARCH consultations USING COVERING INDEX consultations_next_step"), "\(details)")
        details = try plan(store, StoreTransaction.nextStepSQL, [])
        #expect(details.contains("USING COVERING INDEX consultations_next_step"), "\(details)")
        details = try plan(store, StoreTransaction.overdueCountSQL, ["2025-03-11"])
        #expect(details.hasPrefix("SEARCH duties USING COVERING INDEX duties_open_due"), "\(details)")
    }

    /// The consultation row carries the earliest next step of its duties, kept up to date on
    /// every save; overdue duties are counted until they end.
    @Test func theConsultationCarriesItsEarliestStepAndOverdueDutiesAreCounted() throws {
        let store = try Store(path: path)
        var c = sample()
        try store.write { tx in try tx.save(c, notices: [], now: Instant(seconds: 0)) }
        let expected = c.duties.compactMap(\.nextStepAt).min()
        #expect(expected != nil)
        #expect(try store.read { tx in try tx.nextStepInstant() } == expected)
        let due = try #require(c.duties.map(\.due).min())
        let dayAfter = LocalDate(dayNumber: due.dayNumber + 1)
        #expect(try store.read { tx in try tx.statusCounts(today: due) } == (open: 1, overdue: 0))
        #expect(try store.read { tx in try tx.statusCounts(today: dayAfter) } == (open: 1, overdue: 2))
        #expect(try store.read { tx in try tx.consultationsWithStepsDue(at: expected!) } == ["HN-1"])
        // Every duty ends: nothing is due or overdue any more.
        for i in c.duties.indices {
            c.duties[i].status = .withdrawn
            c.duties[i].nextStepAt = nil
        }
        try store.write { tx in try tx.save(c, notices: [], now: Instant(seconds: 0)) }
        #expect(try store.read { tx in try tx.nextStepInstant() } == nil)
        #expect(try store.read { tx in try tx.statusCounts(today: dayAfter) }.overdue == 0)
        #expect(try store.read { tx in try tx.consultationsWithStepsDue(at: Instant(seconds: Int64.max / 2)) }.isEmpty)
    }

    /// Lists show reply duties first, then reconcile duties, by agency within each, and select
    /// consultations by state, overdue duties and agency.
    @Test func summariesOrderDutiesAndSelect() throws {
        let store = try Store(path: path)
        var c = sample()
        let reply = try #require(c.duties.first)
        c.duties.append(Duty(kind: .reconcile, party: "SXD", agency: "STP", basis: reply.basis))
        c.duties.append(Duty(kind: .reconcile, party: "SXD", agency: "STC", basis: reply.basis))
        var closed = sample()
        closed.request.id = "HN-0"
        closed.state = .completed
        try store.write { tx in
            try tx.save(c, notices: [], now: Instant(seconds: 0))
            try tx.save(closed, notices: [], now: Instant(seconds: 0))
        }
        let open = try store.read { tx in try tx.summaries(.open) }
        #expect(open.map(\.id) == ["HN-1"])
        #expect(open.first?.duties.map { "\($0.kind.rawValue):\($0.agency)" }
                == ["reply:STC", "reply:STP", "reconcile:STC", "reconcile:STP"])
        #expect(try store.read { tx in try tx.summaries(.all) }.map(\.id) == ["HN-0", "HN-1"])
        let due = reply.due
        #expect(try store.read { tx in try tx.summaries(.overdue(today: due)) }.isEmpty)
        let later = LocalDate(dayNumber: due.dayNumber + 1)
        #expect(try store.read { tx in try tx.summaries(.overdue(today: later)) }.map(\.id) == ["HN-0", "HN-1"])
        #expect(try store.read { tx in try tx.summaries(.all, agency: "STP") }.count == 2)
        #expect(try store.read { tx in try tx.summaries(.all, agency: "SYT") }.isEmpty)
    }

    @Test func documentsAndHeldReplies() throws {
        let store = try Store(path: path)
        let now = Instant(seconds: 1000)
        try store.write { tx in
            #expect(try !tx.isApplied(content: "k1", hash: "abc", consultation: "HN-1"))
            try tx.record(DocumentRecord(hash: "abc", content: "k1", file: "a.json", kind: "reply", consultation: "HN-1", agency: "STC",
                                         appliedAt: now, assessment: Assessment(.vague, ["no_position"])))
            #expect(try tx.isApplied(content: "k1", hash: "abc", consultation: "HN-1"))
            // Other bytes, same content (a re-serialised reply): applied already.
            #expect(try tx.isApplied(content: "k1", hash: "other-bytes", consultation: "HN-1"))
            #expect(try !tx.isApplied(content: "k2", hash: "other-bytes", consultation: "HN-1"))
            #expect(try !tx.isApplied(content: "k1", hash: "abc", consultation: "HN-2"))
            // Recorded twice: kept once.
            try tx.record(DocumentRecord(hash: "abc", file: "a.json", kind: "reply", consultation: "HN-1", agency: "STC", appliedAt: now))
            #expect(try tx.hold(file: "r.json", hash: "h1", consultation: "HN-9", now: now) == now)
            #expect(try tx.hold(file: "r.json", hash: "h1", consultation: "HN-9", now: Instant(seconds: 5000)) == now)
        }
        let docs = try store.read { tx in try tx.documents(of: "HN-1") }
        #expect(docs.count == 1)
        #expect(docs.first?.assessment == Assessment(.vague, ["no_position"]))
    }

    /// An assessment keeps its evidence and the position read, on the duty and on the document.
    @Test func assessmentsKeepTheirEvidence() throws {
        let store = try Store(path: path)
        var c = sample()
        let assessment = Assessment(.vague, ["hedged_agreement", "no_reasons"],
                                    evidence: [Evidence("hedged_agreement", "Về cơ bản, “thống nhất”\n"), Evidence("no_reasons", nil)],
                                    position: .disagree)
        c.duties[0].assessment = assessment
        try store.write { tx in
            try tx.save(c, notices: [], now: Instant(seconds: 0))
            try tx.record(DocumentRecord(hash: "abc", file: "a.json", kind: "reply", consultation: "HN-1", agency: "STC",
                                         appliedAt: Instant(seconds: 1), position: "disagree", assessment: assessment))
        }
        #expect(try store.read { tx in try tx.consultation("HN-1") } == c)
        #expect(try store.read { tx in try tx.documents(of: "HN-1") }.first?.assessment == assessment)
        // Stored evidence that is not of its shape is an error, not a silent loss.
        try store.write { tx in try tx.db.execute(sql: "UPDATE documents SET evidence = '[1]'") }
        #expect(throws: StoreError.self) { try store.read { tx in try tx.documents(of: "HN-1") } }
    }

    /// A store written by an earlier version (schema v3) is migrated in place: consultations
    /// gain their earliest step, documents keep their order.
    @Test func aVersion3StoreIsMigrated() throws {
        let queue = try DatabaseQueue(path: path)
        try Store.migrator.migrate(queue, upTo: "v3")
        let c = sample()
        let next = try #require(c.duties.compactMap(\.nextStepAt).min())
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO consultations (id, title, lead, consulted, sent, urgency, reply_days, deadline, reference, state, opened_at)
                VALUES ('HN-1', 'Đề án', 'SXD', '["STC","STP"]', ?, 'normal', 5, NULL, '12/SXD', 'open', 0)
                """, arguments: [c.request.sent.seconds])
            for d in c.duties {
                try db.execute(sql: """
                    INSERT INTO duties (consultation, kind, agency, party, due, basis, status, next_step_at)
                    VALUES ('HN-1', ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [d.kind.rawValue, d.agency, d.party, d.due.description, JSONWriter.string(d.basis.json),
                                     d.status.rawValue, d.nextStepAt?.seconds])
            }
            for (hash, kind) in [("h-request", "request"), ("h-reply", "reply")] {
                try db.execute(sql: "INSERT INTO documents (hash, file, kind, consultation, applied_at) VALUES (?, ?, ?, 'HN-1', 7)",
                               arguments: [hash, hash + ".json", kind])
            }
        }
        try queue.close()
        let store = try Store(path: path)
        #expect(try store.read { tx in try tx.nextStepInstant() } == next)
        #expect(try store.read { tx in try tx.consultation("HN-1") }?.duties.count == c.duties.count)
        #expect(try store.read { tx in try tx.documents(of: "HN-1") }.map(\.kind) == ["request", "reply"])
        // Rows from before v8 keep no content key: recognised by their bytes.
        #expect(try store.read { tx in try tx.isApplied(content: "unknown", hash: "h-reply", consultation: "HN-1") })
        let due = try #require(c.duties.map(\.due).min())
        #expect(try store.read { tx in try tx.statusCounts(today: LocalDate(dayNumber: due.dayNumber + 1)) }.overdue == 2)
        // v6: a notice's journal message is its subject, no longer a column of its own.
        let ledger = try store.read { tx in try tx.db.columns(in: "ledger").map(\.name) }
        #expect(ledger.contains("payload") && !ledger.contains("message"))
        #expect(try store.quickCheck() == "ok")
    }

    @Test func undeliveredNoticesSurviveUntilMarked() throws {
        let store = try Store(path: path)
        let facts = CalendarFacts(name: "t", coveredYears: [2025], daysOff: [:], makeUpDays: [:])
        let rules = Rules(directory: Directory(agencies: ["STC": Agency(code: "STC", name: "Sở Tài chính", office: ["o@x"])]),
                          calendar: WorkingCalendar(facts: facts), clock: LocalClock(timeZone: TimeZone(identifier: "UTC")!))
        var c = Consultation.open(Request(id: "HN-2", title: "t", lead: "SXD", consulted: ["STC"],
                                          sent: Instant(rfc3339: "2025-03-03T09:00:00Z")!, deadline: LocalDate(iso: "2025-03-10")),
                                  rules: rules)
        let notices = c.fireDueSteps(rules: rules, now: Instant(rfc3339: "2025-03-06T08:00:00Z")!)
        try store.write { tx in try tx.save(c, notices: notices, now: Instant(seconds: 0)) }
        #expect(!notices.isEmpty)
        let pending = try store.read { tx in try tx.undeliveredNotices() }
        #expect(try pending.map { try $0.notice.get() } == notices)
        // Read on from a row: the rest only.
        let rest = try store.read { tx in try tx.undeliveredNotices(after: pending[0].row) }
        #expect(try rest.map { try $0.notice.get() } == Array(notices.dropFirst()))
        // A payload that no longer parses is returned as unreadable, never dropped.
        try store.write { tx in
            try tx.execute("UPDATE ledger SET payload = '{\"notice_id\": 1}' WHERE notice_id = ?", [notices[0].noticeID])
        }
        let damaged = try store.read { tx in try tx.undeliveredNotices() }
        #expect(damaged.count == notices.count)
        guard case let .failure(unreadable) = damaged[0].notice else { Issue.record("a damaged payload was read"); return }
        #expect(unreadable.noticeID == notices[0].noticeID && unreadable.consultation == "HN-2")
        #expect(unreadable.reason.contains("notice_id"), "\(unreadable)")
        try store.write { tx in try tx.markDelivered(notices.map(\.noticeID)) }
        #expect(try store.read { tx in try tx.undeliveredNotices() }.isEmpty)
    }

    /// A value the code does not know is an error naming it, never a default.
    @Test func unknownStoredValuesAreErrors() throws {
        let store = try Store(path: path)
        try store.write { tx in try tx.save(sample(), notices: [], now: Instant(seconds: 0)) }
        for (sql, expected) in [("UPDATE duties SET status = 'maybe'", "status has an unknown value 'maybe'"),
                                ("UPDATE duties SET status = 'open', kind = 'reconsider'", "kind has an unknown value 'reconsider'"),
                                ("UPDATE duties SET kind = 'reply'; UPDATE consultations SET urgency = 'soon'", "urgency has an unknown value 'soon'")] {
            try store.write { tx in try tx.db.execute(sql: sql) }
            do {
                _ = try store.read { tx in try tx.consultation("HN-1") }
                Issue.record("read despite \(sql)")
            } catch let error as StoreError {
                #expect(error.code == .inconsistent)
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        try store.write { tx in try tx.db.execute(sql: "UPDATE consultations SET urgency = 'normal'; UPDATE duties SET verdict = 'perhaps'") }
        #expect(throws: StoreError.self) { try store.read { tx in try tx.summaries(.all) } }
    }

    @Test func aStoreDamagedInsideIsRefusedAndLeftAlone() throws {
        let store = try Store(path: path)
        try store.write { tx in
            for i in 0..<400 {
                var c = sample()
                c.request.id = "HN-\(i)"
                try tx.save(c, notices: [], now: Instant(seconds: 0))
            }
        }
        try store.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try store.queue.close()
        // Scribble over pages in the middle of the file, as a failing disk would.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data((0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try handle.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try Store(path: path)
            Issue.record("a damaged store was opened")
        } catch {
            #expect(error.code == .corrupt, "\(error)")
            #expect(error.message.contains("consultctl backup"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged)
    }

    /// consultctl's reads create nothing beside the store: without a -wal (the daemon stopped)
    /// the file is read immutable, with one through the WAL; a read the daemon's writes overtook
    /// is made again.
    @Test func readOnlyCreatesNothingAndSeesWhatTheDaemonWrites() throws {
        do {
            let daemon = try Store(path: path)
            try daemon.write { tx in try tx.save(sample(), notices: [], now: Instant(seconds: 0)) }
        }
        let beside = { Set(try FileManager.default.contentsOfDirectory(atPath: dir)) }
        #expect(try beside() == ["state.sqlite"], "the daemon's last close removes its WAL")
        let reader = try Store(path: path, readOnly: true)
        #expect(reader.unchangedSince != nil)
        #expect(try reader.read { tx in try tx.consultation("HN-1")?.request.title } == "Đề án")
        #expect(try beside() == ["state.sqlite"])

        // The daemon starts and writes while a read is under way: the read is made again, through the WAL.
        let daemon = try Store(path: path, verify: false)
        var runs = 0
        let title = try reader.read { tx -> String? in
            runs += 1
            if runs == 1 { try daemon.queue.write { db in try db.execute(sql: "UPDATE consultations SET title = 'Đề án mới'") } }
            return try tx.consultation("HN-1")?.request.title
        }
        #expect(runs == 2)
        #expect(title == "Đề án mới")
        // While the daemon has it open, a reader goes through the WAL from the start.
        let live = try Store(path: path, readOnly: true)
        #expect(live.unchangedSince == nil)
        #expect(try live.read { tx in try tx.consultation("HN-1")?.request.title } == "Đề án mới")
        #expect(Store.immutableURI("/var/lib/a b%?#.sqlite") == "file:/var/lib/a%20b%25%3F%23.sqlite?immutable=1")
    }

    @Test func aCorruptStoreIsRefused() throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 8192))
        #expect(throws: StoreError.self) { try Store(path: path) }
    }
}
