#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Dispatch
import Logging
import Synchronization

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

    /// Bytes read into memory at once (the sizes `lstat` gives): a round also ends here, so that
    /// memory stays bounded however large the files (contract §2).
    public var roundBytes: Int64 = 24 << 20

    /// Refused entries moved to `rejected/` together: one syncfs and one fsync of `rejected/`
    /// and `new/` per batch, and the watchdog fed between batches.
    public var refusalBatchSize = 1024

    /// Removes the submitters' files set aside by the archive once their copies are durable: a
    /// thread of its own, as removing thousands of files can take seconds (a file system that
    /// discards freed blocks at once takes 0.3 ms a file) and nothing waits for it.
    static let reaper = SerialThread(name: "consultd-reaper")

    /// Signalled once the reaper has removed what earlier runs left (handed to it at the first
    /// pass): a `--once` run waits for that much before it exits, so that files set aside never
    /// pile up over runs, but not for its own, which the next start removes.
    let earlierRemovals = DispatchSemaphore(value: 0)

    /// The holding folders of rounds over, not yet settled (see ``settleIfDue()``).
    let unsettled = Unsettled()

    /// How long the intake takes no round before the holding folders are settled.
    var settleQuiet: Duration = .seconds(2)

    /// How long a holding folder waits to be settled at most, however busy the intake.
    var settleAtMost: Duration = .seconds(600)

    /// When the intake last took a round.
    var lastRound: ContinuousClock.Instant?

    /// What intake remembers across passes, from the store (loaded at the first pass, kept up to
    /// date as outcomes come).
    var memory: Memory?

    /// What the current pass has learnt so far.
    var pass = PassState(accounts: Accounts.lookUp([], agencies: []))

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

    /// Takes in every entry waiting in `new/` (or only `names`, as inotify reported them): each
    /// is examined by `lstat` first — refused unread when it must be, passed over when it was
    /// refused before and cannot be moved, or is a held reply unchanged since — and the rest is
    /// read and applied in rounds bounded by count and by bytes.
    public func ingestWaiting(now: Instant, names: [String]? = nil) throws -> PassSummary {
        let entries = try names.map { $0.filter { !$0.hasPrefix(".") }.map { SpoolEntry(reported: $0, in: spool.new) } }
            ?? spool.listing()
        try loadMemory()
        pass = PassState(accounts: configuration.authorization == .owner
            ? Accounts.lookUp([], agencies: configuration.directory.agencies.values) : Accounts.lookUp([], agencies: []))
        var summary = try take(entries, now: now)
        // Replies held for a request this pass applied (held in an earlier round, or passed over
        // unread): read again now, in the same pass.
        let opened = pass.opened
        let waiting = memory.map { $0.held.values.filter { opened.contains($0.consultation) }.map(\.file).sorted() } ?? []
        if !waiting.isEmpty, !control.shouldStop() {
            summary.held -= waiting.filter(pass.countedHeld.contains).count
            summary += try take(waiting.map { SpoolEntry(bytes: Array($0.utf8)) }, now: now)
        }
        if names == nil, !control.shouldStop() { summary += forgetUnmovablesGone() }
        settleIfDue()
        return summary
    }

    /// Examines `entries` in order, refusing in batches and reading in rounds.
    private func take(_ entries: [SpoolEntry], now: Instant) throws -> PassSummary {
        var summary = PassSummary()
        var round: [(entry: SpoolEntry, status: EntryStatus)] = []
        var bytes: Int64 = 0
        var refusals: [Rejection] = []
        for (i, entry) in entries.enumerated() {
            if control.shouldStop() { break }
            if i % 4096 == 4095 { control.betweenBatches() }
            switch examine(entry, now: now) {
            case .gone: continue
            case .ignored: summary.ignored += 1
            case .held:
                summary.held += 1
                pass.countedHeld.insert(entry.name)
            case let .refuse(rejection):
                refusals.append(rejection)
                if refusals.count >= refusalBatchSize {
                    summary += refuse(refusals, now: now)
                    refusals = []
                }
            case let .read(entry, status):
                round.append((entry, status))
                bytes += status.size
                if round.count >= roundSize || bytes >= roundBytes {
                    // Refusals found so far go first: a long take of large documents must not
                    // keep them waiting (nor their entries in new/) until its end.
                    if !refusals.isEmpty { summary += refuse(refusals, now: now) }
                    refusals = []
                    summary += try ingest(round, now: now)
                    round = []
                    bytes = 0
                }
            }
        }
        if !refusals.isEmpty { summary += refuse(refusals, now: now) }
        if !round.isEmpty, !control.shouldStop() { summary += try ingest(round, now: now) }
        return summary
    }

    /// One round: read, parse, sort and apply in batches; then the round's holding folder left to
    /// be settled (``settleIfDue()``).
    private func ingest(_ entries: [(entry: SpoolEntry, status: EntryStatus)], now: Instant) throws -> PassSummary {
        var archive: Archive?
        let applied = Result { try apply(entries, now: now, archive: &archive) }
        // Also when a batch failed: the batches before it are committed and archived.
        lastRound = .now
        if let archive { unsettled.add((archive.holdingPath, archive.lock, archive.strays)) }
        return try applied.get()
    }

    /// Reads, parses, sorts and applies a round in batches.
    ///
    /// Three threads, none waiting for another's disk or socket: the commit line commits batch
    /// after batch; the journal line tells the journal of each batch once it is committed
    /// (journald takes entries more slowly than they come, and a full socket would hold up the
    /// commits); this one delivers each committed batch's notices and archives its documents.
    private func apply(_ entries: [(entry: SpoolEntry, status: EntryStatus)], now: Instant, archive: inout Archive?) throws -> PassSummary {
        let (candidates, refusals) = read(entries)
        // Refused after the round's commits, also when one fails: the journal entry of a
        // document that could not be read then names the lead of a request applied beside it.
        var summary = PassSummary()
        let applied = Result { try commit(candidates, now: now, archive: &archive) }
        for start in stride(from: 0, to: refusals.count, by: refusalBatchSize) {
            summary += refuse(Array(refusals[start..<min(start + refusalBatchSize, refusals.count)]), now: now)
        }
        summary += try applied.get()
        return summary
    }

    /// Commits the documents read in batches (see ``apply(_:now:archive:)``).
    private func commit(_ candidates: [Candidate], now: Instant, archive: inout Archive?) throws -> PassSummary {
        var summary = PassSummary()
        guard !candidates.isEmpty else { return summary }
        let sorted = Self.inApplyingOrder(candidates), batches = Self.batches(sorted.count, size: batchSize)
        let applier = self.applier, store = self.store, journal = self.journal, orphanDays = rules.policy.orphanDays
        let calendarPath = configuration.calendarPath, accounts = pass.accounts
        let journalLine = SerialThread(name: "consultd-journal")
        defer { journalLine.close() }   // every committed batch is told of, even when a later one fails
        let line = CommitLine(count: batches.count) { index in
            let outcomes = try store.write { tx in
                try sorted[batches[index]].map { candidate in try applier.apply(candidate, accounts: accounts, tx: tx, now: now) }
            }
            journalLine.submit {
                Self.announce(outcomes, now: now, journal: journal, orphanDays: orphanDays, calendarPath: calendarPath)
            }
            return outcomes
        }
        while let committed = try line.next() {
            // A batch's notices go to the journal after its documents' own entries.
            if committed.contains(where: { if case let .applied(_, notices, _, _) = $0 { !notices.isEmpty } else { false } }) {
                journalLine.drain()
            }
            summary += finish(committed, now: now, archive: &archive)
            control.betweenBatches()
            if control.shouldStop() { line.stop() }
        }
        return summary
    }

    /// After a batch is committed: deliver its notices, archive its documents in `done/`, refuse
    /// the documents it refused; and remember the held replies and the consultations opened.
    private func finish(_ outcomes: [Outcome], now: Instant, archive: inout Archive?) -> PassSummary {
        var summary = PassSummary()
        var archived: [Candidate] = []
        var refused: [Rejection] = []
        for outcome in outcomes {
            switch outcome {
            case let .applied(c, notices, _, _):
                summary.applied += 1
                summary.tally.applied[c.document.kind.rawValue, default: 0] += 1
                summary += delivery.deliver(notices)
                archived.append(c)
                if case let .request(request) = c.document { pass.opened.insert(request.id) }
            case let .duplicate(c):
                summary.duplicates += 1
                archived.append(c)
            case let .held(c, since):
                summary.held += 1
                pass.countedHeld.insert(c.file.name)
                let status = c.file.status
                memory?.held[c.file.name] = HeldFile(
                    file: c.file.name, consultation: c.document.consultationID, firstSeen: since,
                    identity: FileIdentity(device: status.device, inode: status.inode, size: status.size, modified: status.modified))
            case let .refused(rejection):
                refused.append(rejection)
            }
        }
        for c in archived { memory?.held[c.file.name] = nil }
        summary += self.archive(archived, now: now, into: &archive)
        if !refused.isEmpty { summary += refuse(refused, now: now) }
        return summary
    }

    /// Moves a committed batch's documents to `done/DATE/`, as files of the daemon's own.
    private func archive(_ candidates: [Candidate], now: Instant, into archive: inout Archive?) -> PassSummary {
        var summary = PassSummary()
        guard !candidates.isEmpty else { return summary }
        do {
            if archive == nil { archive = try Archive(spool: spool, date: rules.clock.date(of: now), appliedAt: now) }
            let items = candidates.map { Archive.Item(name: $0.file.name, bytes: $0.file.bytes, status: $0.file.status) }
            for case let .failure(error) in archive!.archive(items) {
                summary.failed("cannot archive a document in \(spool.done) (\(error))")
            }
        } catch {
            summary.failed("cannot archive \(candidates.count) documents in \(spool.done) (\(error))")
        }
        return summary
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
