#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Foundation
import Logging
import Synchronization

/// What one pass did, for `--once` and for the service's STATUS line.
public struct PassSummary: Sendable, Equatable {
    public var applied = 0
    public var duplicates = 0
    public var refused = 0
    public var held = 0
    public var notices = 0
    /// Notices or moves that failed for I/O reasons and will be retried.
    public var ioFailures = 0

    public init() {}

    public static func += (a: inout PassSummary, b: PassSummary) {
        a.applied += b.applied
        a.duplicates += b.duplicates
        a.refused += b.refused
        a.held += b.held
        a.notices += b.notices
        a.ioFailures += b.ioFailures
    }
}

/// The engine: takes documents from the spool into the store, fires due ladder steps, and
/// delivers notices to the outbox and the journal. One engine serves `--once` and the service.
public final class Engine {
    public let configuration: Configuration
    public let rules: Rules
    let store: Store
    let spool: Spool
    let journal: Journal
    let logger: Logger
    let applier: DocumentApplier
    var accounts: Accounts { applier.accounts }

    /// Documents applied per store transaction.
    public var batchSize = 2048

    /// Documents read into memory at once: a larger backlog is taken in rounds of this many
    /// (in name order), so that memory stays bounded however long the outage was.
    public var intakeRound = 32_768

    /// Asked between batches: when it answers true, the pass stops and what is left (documents
    /// in `new/`, steps due) waits for the next one (a stopping service finishes only the batch
    /// in hand).
    public var shouldStop: () -> Bool = { false }

    /// Called between batches of a long pass, so that the service can tell systemd it is alive.
    public var betweenBatches: () -> Void = {}

    public init(configuration: Configuration, calendar: CalendarFacts, store: Store, journal: Journal, logger: Logger) throws(FileSystemError) {
        self.configuration = configuration
        self.rules = Rules(directory: configuration.directory, calendar: WorkingCalendar(facts: calendar),
                           clock: LocalClock(timeZone: configuration.timeZone))
        self.store = store
        self.spool = Spool(root: configuration.spool, outbox: configuration.outbox)
        self.journal = journal
        self.logger = logger
        self.applier = DocumentApplier(configuration: configuration, rules: rules, journal: journal)
        try spool.prepare()
    }

    /// Ingests everything waiting, fires every step due at `now`, and delivers the notices.
    public func runOnce(now: Instant) throws -> PassSummary {
        var summary = try deliverPending()
        summary += try ingestWaiting(now: now)
        summary += try fireDueSteps(now: now)
        sweepStaleHandOffs(now: Instant.now)
        return summary
    }

    /// Removes hand-offs abandoned in `tmp/` for 36 hours, telling the journal about each.
    /// `now` is the real time: file ages are real.
    public func sweepStaleHandOffs(now: Instant) {
        do {
            for name in try spool.removeStale(now: now) {
                journal.send(event: "stale-handoff", priority: .notice,
                             message: "Removed tmp/\(name): left unfinished in the spool for more than 36 hours.",
                             fields: [("CONSULT_FILE", name)])
            }
        } catch {
            logger.warning("Cannot sweep \(spool.tmp): \(error)")
        }
    }

    // MARK: - Intake

    /// Applies every document waiting in `new/` (or only `names`), in batches.
    public func ingestWaiting(now: Instant, names: [String]? = nil) throws -> PassSummary {
        let names = try names ?? spool.waiting()
        var summary = PassSummary()
        var start = 0
        heldThisPass = []
        repeat {
            let round = Array(names[start..<min(start + intakeRound, names.count)])
            start += round.count
            summary += try ingest(round, now: now)
        } while start < names.count && !shouldStop()
        // A reply held in an early round may have found its request in a later one.
        if start > intakeRound, !heldThisPass.isEmpty, !shouldStop() {
            let retry = heldThisPass
            summary.held -= retry.count
            summary += try ingest(retry, now: now)
        }
        return summary
    }

    /// Names of the replies held during the current pass (they stay in `new/`).
    private var heldThisPass: [String] = []

    /// One round of intake: read, parse, sort, then apply in batches.
    private func ingest(_ names: [String], now: Instant) throws -> PassSummary {
        var summary = PassSummary()
        guard !names.isEmpty else { return summary }
        var moves: DoneMoves?
        defer {
            // One fsync of done/DATE and new/ for the whole round, not one per batch: each is a
            // disk flush the moving thread waits for, and a move lost in a crash only brings back
            // a document already applied (a no-op).
            do { try moves?.sync() } catch { logger.error("Spool I/O failed, will retry: \(error)") }
        }
        var (candidates, refusals) = read(names)
        summary += finish(refusals, now: now, moves: &moves)
        // Requests first so replies in the same batch find them; then by consultation, and within
        // one in the order the documents say they happened, then in submission order. Documents of
        // different consultations do not interact, so grouping them by id changes no outcome, and
        // the store's B-trees then take their keys in order instead of at random places.
        candidates.sort {
            (Self.rank($0.document.kind), $0.document.consultationID, Self.time($0), $0.file.modified, $0.file.name)
                < (Self.rank($1.document.kind), $1.document.consultationID, Self.time($1), $1.file.modified, $1.file.name)
        }
        guard !candidates.isEmpty else { return summary }
        // Three threads, none waiting for another's disk or socket: one commits batch after batch;
        // one tells the journal of each batch once it is committed (journald takes entries more
        // slowly than they come, and a full socket would hold up the commits); this one moves each
        // committed batch out of `new/`.
        let applier = self.applier, store = self.store, journal = self.journal, orphanDays = rules.policy.orphanDays
        let sorted = candidates, batches = Self.batches(candidates.count, size: batchSize)
        let announcer = DispatchQueue(label: "consultd.announce")
        defer { announcer.sync {} }   // every committed batch is told of, even when a later one fails
        let line = CommitLine(count: batches.count) { index in
            let outcomes = try store.write { tx in
                try sorted[batches[index]].map { candidate in try applier.apply(candidate, tx: tx, now: now) }
            }
            announcer.async { Self.announce(outcomes, journal: journal, orphanDays: orphanDays) }
            return outcomes
        }
        while let committed = try line.next() {
            // A batch's notices go to the journal after its documents' own entries.
            if committed.contains(where: { if case let .applied(_, notices) = $0 { !notices.isEmpty } else { false } }) {
                announcer.sync {}
            }
            summary += finish(committed, now: now, moves: &moves)
            betweenBatches()
            if shouldStop() { line.stop() }
        }
        return summary
    }

    /// The batches of a round of `count` documents: `size` each, except at both ends, where they
    /// halve down to an eighth: a small first batch lets the moves start early, and a small last
    /// one leaves little to move once the store is done.
    static func batches(_ count: Int, size: Int) -> [Range<Int>] {
        var sizes: [Int] = []
        var left = count
        var ramp = max(1, size / 8)
        while left > 0, ramp < size {   // ramp up
            sizes.append(min(ramp, left))
            left -= sizes.last!
            ramp *= 2
        }
        var tail: [Int] = []
        ramp = max(1, size / 8)
        while left > size + ramp, ramp < size {   // ramp down, taken from the end
            tail.append(ramp)
            left -= ramp
            ramp *= 2
        }
        while left > 0 {
            sizes.append(min(size, left))
            left -= sizes.last!
        }
        sizes += tail.reversed()
        var start = 0
        return sizes.map { n in defer { start += n }; return start..<(start + n) }
    }

    /// Reads and parses the named documents of `new/`, on all cores (the order is kept).
    private func read(_ names: [String]) -> ([Candidate], [Outcome]) {
        let names = names.filter { !$0.hasPrefix(".") }
        let spool = self.spool, maxBytes = configuration.maxDocumentBytes, rules = self.rules
        let parts = names.count < 64 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let results = Mutex([[(Candidate?, Outcome?)]](repeating: [], count: parts))
        Self.onThreads(parts) { part in
            let slice = names[(names.count * part / parts)..<(names.count * (part + 1) / parts)]
            var out: [(Candidate?, Outcome?)] = []
            out.reserveCapacity(slice.count)
            for name in slice {
                switch spool.read(name, maxBytes: maxBytes) {
                case .gone: continue
                case let .refused(name, owner, refusal): out.append((nil, .refused(name: name, owner: owner, refusal)))
                case let .file(file):
                    do throws(Refusal) {
                        let document = try DocumentParser.parse(file.bytes)
                        out.append((Candidate(file: file, document: document, rules: rules), nil))
                    } catch {
                        out.append((nil, .refused(name: name, owner: file.owner, error)))
                    }
                }
            }
            results.withLock { $0[part] = out }
        }
        let all = results.withLock { $0 }.joined()
        return (all.compactMap(\.0), all.compactMap(\.1))
    }

    /// Runs `body(0)` … `body(count - 1)` at once (`count` ≥ 1), `body(0)` on the calling thread and
    /// each other on a thread of its own, and returns when all have. Not `DispatchQueue.concurrentPerform`:
    /// libdispatch's pool, once used, starts a monitor that wakes the daemon every second for the rest
    /// of its life. `body` escapes: a thread may release it only after it has signalled its end.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        precondition(count >= 1)
        let done = DispatchSemaphore(value: 0)
        for part in 1..<count {
            Thread {
                body(part)
                done.signal()
            }.start()
        }
        body(0)
        for _ in 1..<count { done.wait() }
    }

    /// When a document says it happened (sent, received), else when it was written.
    static func time(_ c: Candidate) -> Int64 {
        switch c.document {
        case let .request(r): return r.sent.seconds
        case let .reply(r): return r.received.seconds
        case let .resolution(r): return r.received.seconds
        case .extension, .withdrawal: return c.file.modified.seconds
        }
    }

    static func rank(_ kind: Document.Kind) -> Int {
        switch kind {
        case .request: return 0
        case .extension: return 1
        case .reply: return 2
        case .resolution: return 3
        case .withdrawal: return 4
        }
    }

    /// Tells the journal what a committed batch did with each document it took (refusals are
    /// told when their sidecar is written, notices when they are delivered).
    static func announce(_ outcomes: [Outcome], journal: Journal, orphanDays: Int) {
        for outcome in outcomes {
            switch outcome {
            case let .applied(c, _):
                journal.send(event: "accepted", priority: .info,
                             message: "Applied \(c.document.kind.rawValue) \(c.file.name) for \(c.document.consultationID).",
                             fields: [("CONSULT_ID", c.document.consultationID), ("CONSULT_FILE", c.file.name)])
            case let .duplicate(c):
                journal.send(event: "duplicate", priority: .info,
                             message: "\(c.file.name) was already applied; moved to done/ without effect.",
                             fields: [("CONSULT_ID", c.document.consultationID), ("CONSULT_FILE", c.file.name)])
            case let .held(c, firstTime) where firstTime:
                journal.send(event: "held", priority: .info,
                             message: "Reply \(c.file.name) waits for its request \(c.document.consultationID) (held up to \(orphanDays) days).",
                             fields: [("CONSULT_ID", c.document.consultationID), ("CONSULT_FILE", c.file.name)])
            case .held, .refused:
                break
            }
        }
    }

    /// After a batch is committed: deliver its notices, move its files out of `new/`, write the
    /// sidecars of refused documents.
    private func finish(_ outcomes: [Outcome], now: Instant, moves: inout DoneMoves?) -> PassSummary {
        var summary = PassSummary()
        let at = rules.clock.format(now)
        let today = rules.clock.date(of: now)
        func moveToDone(_ name: String) throws(FileSystemError) {
            if moves == nil { moves = try spool.doneMoves(date: today) }
            try moves?.move(name)
        }
        for outcome in outcomes {
            do {
                switch outcome {
                case let .applied(c, notices):
                    summary.applied += 1
                    summary += deliverAll(notices)
                    try moveToDone(c.file.name)
                case let .duplicate(c):
                    summary.duplicates += 1
                    try moveToDone(c.file.name)
                case let .held(c, _):
                    summary.held += 1
                    heldThisPass.append(c.file.name)
                case let .refused(name, owner, refusal):
                    summary.refused += 1
                    try spool.reject(name, refusal: refusal, at: at)
                    if refusal.code == .unauthorized {
                        journal.send(event: NoticeEvent.unauthorized, priority: .alert,
                                     message: "Refused \(name): \(refusal.reason).",
                                     fields: [("CONSULT_FILE", name), ("CONSULT_REASONS", refusal.code.rawValue),
                                              ("CONSULT_ACCOUNT", owner.map(accounts.userName) ?? "")])
                    } else {
                        journal.send(event: NoticeEvent.rejected, priority: .err,
                                     message: "Refused \(name) (\(refusal.code.rawValue)): \(refusal.reason).",
                                     fields: [("CONSULT_FILE", name), ("CONSULT_REASONS", refusal.code.rawValue)])
                    }
                }
            } catch {
                summary.ioFailures += 1
                logger.error("Spool I/O failed, will retry: \(error)")
            }
        }
        return summary
    }

    // MARK: - Ladder

    /// Fires every ladder step due at `now`, found through the store's index.
    public func fireDueSteps(now: Instant) throws -> PassSummary {
        var summary = PassSummary()
        while !shouldStop() {
            betweenBatches()
            let (found, notices): (Bool, [Notice]) = try store.write { tx in
                let ids = try tx.consultationsWithStepsDue(at: now, limit: 200)
                var all: [Notice] = []
                for id in ids {
                    guard var c = try tx.consultation(id) else { continue }
                    let notices = c.fireDueSteps(rules: rules, now: now)
                    try tx.save(c, notices: notices, now: now)
                    all += notices
                }
                return (!ids.isEmpty, all)
            }
            guard found else { break }
            summary += deliverAll(notices)
        }
        return summary
    }

    /// When the next ladder step is due, for the service's timer.
    public func nextStepInstant() throws -> Instant? { try store.read { tx in try tx.nextStepInstant() } }

    /// Counts for the service's STATUS line.
    public func statusCounts(now: Instant) throws -> (open: Int, overdue: Int) {
        try store.read { tx in try tx.statusCounts(today: rules.clock.date(of: now)) }
    }

    /// The spool folder the service watches.
    public var incoming: String { spool.new }

    // MARK: - Delivery

    /// Delivers notices committed earlier but not confirmed delivered (after a crash or a full disk).
    public func deliverPending() throws -> PassSummary {
        var summary = PassSummary()
        var after: Int64 = 0
        while !shouldStop() {
            let pending = try store.read { tx in try tx.undeliveredNotices(after: after, limit: 1024) }
            guard let last = pending.last else { break }
            betweenBatches()
            summary += deliverAll(pending.map(\.notice))
            after = last.row
        }
        return summary
    }

    /// Notices recorded as delivered per store transaction: a crash between writing a notice and
    /// recording it makes that notice be written again (never lost), so keep the window short.
    static let deliveryChunk = 32

    /// Delivers notices, recording each chunk as delivered as soon as it is written.
    private func deliverAll(_ notices: [Notice]) -> PassSummary {
        var summary = PassSummary()
        var start = 0
        while start < notices.count {
            let chunk = notices[start..<min(start + Self.deliveryChunk, notices.count)]
            start += chunk.count
            let delivered = chunk.filter(deliver).map(\.noticeID)
            summary.notices += delivered.count
            summary.ioFailures += chunk.count - delivered.count + markDelivered(delivered)
        }
        return summary
    }

    /// Writes a notice to the outbox (when it has recipients) and the journal; false when the
    /// outbox write failed (the notice stays pending and is retried).
    private func deliver(_ notice: Notice) -> Bool {
        if notice.hasRecipients {
            do {
                try spool.writeOutbox(noticeID: notice.noticeID, bytes: JSONWriter.bytes(notice.outboxJSON))
                outboxEpisode(failure: nil, notice: notice)
            } catch {
                outboxEpisode(failure: error, notice: notice)
                return false
            }
        }
        journal.send(notice)
        return true
    }

    /// Whether the outbox is failing, as last recorded (`nil` until read from the store).
    private var outboxFailing: Bool?

    /// Tells the journal when outbox writes start failing and when they work again — once per
    /// episode, not once per retry. The episode is remembered in the store, so that repeated
    /// `--once` runs do not repeat it either.
    private func outboxEpisode(failure: (any Error)?, notice: Notice) {
        let key = "outbox_failing"
        if outboxFailing == nil { outboxFailing = ((try? store.read { tx in try tx.meta(key) }) ?? nil) != nil }
        let failing = failure != nil
        guard failing != outboxFailing else { return }
        outboxFailing = failing
        _ = try? store.write { tx in failing ? try tx.setMeta(key, "1") : try tx.deleteMeta(key) }
        if let failure {
            journal.send(event: "outbox-failed", priority: .err,
                         message: "Cannot write notices to \(spool.outbox) (\(failure)); they stay pending and are retried. Said once until writing works again.",
                         fields: [("CONSULT_NOTICE_ID", notice.noticeID)])
        } else {
            journal.send(event: "outbox-recovered", priority: .notice,
                         message: "Notices are written to \(spool.outbox) again; the pending ones are being delivered.",
                         fields: [("CONSULT_NOTICE_ID", notice.noticeID)])
        }
    }

    private func markDelivered(_ ids: [String]) -> Int {
        guard !ids.isEmpty else { return 0 }
        do {
            try store.write { tx in try tx.markDelivered(ids) }
            return 0
        } catch {
            logger.error("Cannot record delivered notices: \(error)")
            return 1
        }
    }
}
