#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Logging

/// Intake, as Postfix's pickup: takes the documents waiting in `new/` into the store — stat,
/// authorize, read, parse, apply in batches, move to `done/` or `rejected/` — and sweeps the
/// hand-offs abandoned in `tmp/`.
public final class Intake {
    let configuration: Configuration
    let rules: Rules
    let store: Store
    let spool: Spool
    let journal: Journal
    let logger: Logger
    let delivery: NoticeDelivery
    let control: PassControl
    let applier: DocumentApplier

    /// Documents applied per store transaction.
    public var batchSize = 2048

    /// Documents read into memory at once: a larger backlog is taken in rounds of this many
    /// (in name order), so that memory stays bounded however long the outage was.
    public var roundSize = 32_768

    /// Names of the replies held during the current pass (they stay in `new/`).
    private var heldThisPass: [String] = []

    init(configuration: Configuration, rules: Rules, store: Store, spool: Spool, journal: Journal, logger: Logger,
         delivery: NoticeDelivery, control: PassControl) {
        self.configuration = configuration
        self.rules = rules
        self.store = store
        self.spool = spool
        self.journal = journal
        self.logger = logger
        self.delivery = delivery
        self.control = control
        self.applier = DocumentApplier(configuration: configuration, rules: rules)
    }

    /// The spool folder documents arrive in.
    public var incoming: String { spool.new }

    /// Applies every document waiting in `new/` (or only `names`), in rounds.
    public func ingestWaiting(now: Instant, names: [String]? = nil) throws -> PassSummary {
        let names = try names ?? spool.waiting()
        var summary = PassSummary()
        var start = 0
        heldThisPass = []
        repeat {
            let round = Array(names[start..<min(start + roundSize, names.count)])
            start += round.count
            summary += try ingest(round, now: now)
        } while start < names.count && !control.shouldStop()
        // A reply held in an early round may have found its request in a later one.
        if start > roundSize, !heldThisPass.isEmpty, !control.shouldStop() {
            let retry = heldThisPass
            summary.held -= retry.count
            summary += try ingest(retry, now: now)
        }
        return summary
    }

    /// One round: read, parse and sort; look up the files' owners; then apply in batches.
    ///
    /// Three threads, none waiting for another's disk or socket: the commit line commits batch
    /// after batch; the journal line tells the journal of each batch once it is committed
    /// (journald takes entries more slowly than they come, and a full socket would hold up the
    /// commits); this one delivers each committed batch's notices and moves its files.
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
        let (candidates, refusals) = read(names)
        let accounts = lookUpOwners(candidates)
        summary += finish(refusals, accounts: accounts, now: now, moves: &moves)
        guard !candidates.isEmpty else { return summary }
        let sorted = Self.inApplyingOrder(candidates), batches = Self.batches(sorted.count, size: batchSize)
        let applier = self.applier, store = self.store, journal = self.journal, orphanDays = rules.policy.orphanDays
        let calendarPath = configuration.calendarPath
        let journalLine = SerialThread()
        defer { journalLine.close() }   // every committed batch is told of, even when a later one fails
        let line = CommitLine(count: batches.count) { index in
            let outcomes = try store.write { tx in
                try sorted[batches[index]].map { candidate in try applier.apply(candidate, accounts: accounts, tx: tx, now: now) }
            }
            journalLine.submit {
                Self.announce(outcomes, journal: journal, orphanDays: orphanDays, calendarPath: calendarPath)
            }
            return outcomes
        }
        while let committed = try line.next() {
            // A batch's notices go to the journal after its documents' own entries.
            if committed.contains(where: { if case let .applied(_, notices, _) = $0 { !notices.isEmpty } else { false } }) {
                journalLine.drain()
            }
            summary += finish(committed, accounts: accounts, now: now, moves: &moves)
            control.betweenBatches()
            if control.shouldStop() { line.stop() }
        }
        return summary
    }

    /// The owners of a round's files, looked up before any transaction, when owners matter.
    private func lookUpOwners(_ candidates: [Candidate]) -> Accounts {
        guard configuration.authorization == .owner else { return Accounts.lookUp([], agencies: []) }
        return Accounts.lookUp(Set(candidates.map(\.file.owner)), agencies: configuration.directory.agencies.values)
    }

    /// After a batch is committed: deliver its notices, move its files out of `new/`, write the
    /// sidecars of refused documents.
    private func finish(_ outcomes: [Outcome], accounts: Accounts, now: Instant, moves: inout DoneMoves?) -> PassSummary {
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
                case let .applied(c, notices, _):
                    summary.applied += 1
                    summary += delivery.deliver(notices)
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
                    tellRefused(name, owner: owner, refusal, accounts: accounts)
                }
            } catch {
                // Told by the caller: once per episode by the service, on exit by --once.
                let name = switch outcome {
                case let .applied(c, _, _), let .duplicate(c), let .held(c, _): c.file.name
                case let .refused(name, _, _): name
                }
                summary.failed("cannot move \(name) out of \(spool.new) (\(error))")
            }
        }
        return summary
    }

    private func tellRefused(_ name: String, owner: uid_t?, _ refusal: Refusal, accounts: Accounts) {
        if refusal.code == .unauthorized {
            journal.send(.unauthorized, message: "Refused \(name): \(refusal.reason).",
                         fields: [("CONSULT_FILE", name), ("CONSULT_REASONS", refusal.code.rawValue),
                                  ("CONSULT_ACCOUNT", owner.map(accounts.userName) ?? "")])
        } else {
            journal.send(.rejected, message: "Refused \(name) (\(refusal.code.rawValue)): \(refusal.reason).",
                         fields: [("CONSULT_FILE", name), ("CONSULT_REASONS", refusal.code.rawValue)])
        }
    }

    /// Removes hand-offs abandoned in `tmp/` for 36 hours, telling the journal about each.
    /// `now` is the real time: file ages are real.
    public func sweepStaleHandOffs(now: Instant) {
        do {
            for name in try spool.removeStale(now: now) {
                journal.send(.staleHandoff, message: "Removed tmp/\(name): left unfinished in the spool for more than 36 hours.",
                             fields: [("CONSULT_FILE", name)])
            }
        } catch {
            logger.warning("Cannot sweep \(spool.tmp): \(error)")
        }
    }
}
