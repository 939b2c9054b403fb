#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore

/// The second half of `consultctl restore` (contract §10): over a store just copied from a
/// backup, applies again every document `done/` archived since the backup was taken, so that
/// the store ends as the one a never-restored daemon would have.
///
/// The daemon is a function of its inputs: each document and the instant it was applied, and
/// the instants its passes fired the ladder. The archive keeps the first (each copy's
/// modification time is the instant it was applied, its nanoseconds its rank in that second);
/// the notices of the outbox and `outbox/sent/` keep the others (each says when it was
/// created). Replay walks those instants in order as the daemon's passes did: the documents
/// applied at an instant, in their first order, then the ladder steps due at it. A notice it
/// decides again whose file is in the outbox or `sent/` is recorded as delivered, never
/// written again; one without recipients (the journal's alone) too, as the journal was told at
/// the time; any other stays pending, for the daemon to write when it starts.
///
/// Documents are replayed without the owner check: `done/` holds the daemon's own copies of
/// documents it authorized when it first applied them, which only root can change (contract §2).
public final class Replay {
    let configuration: Configuration
    let rules: Rules
    let store: Store
    let spool: Spool
    /// The daemon's account: only its files in the outbox and `sent/` count as its notices.
    let daemonAccount: uid_t
    let applier: DocumentApplier

    /// What happened to a notice decided again.
    public enum Fate: Sendable, Equatable {
        /// Its file is there: recorded as delivered.
        case found(path: String)
        /// It has no recipients: the journal was told when it was first decided.
        case journalOnly
        /// No file of it: consultd writes it when it starts.
        case pending
    }

    public struct DecidedNotice: Sendable {
        public let notice: Notice
        public let fate: Fate
    }

    /// One step of the replay, in the order it happened.
    public enum Step: Sendable {
        /// A document applied again, with the notices it decided.
        case applied(ArchivedDocument, kind: Document.Kind, parties: NamedParties, notices: [DecidedNotice])
        /// A document the backup already holds (or a duplicate when first applied): no effect.
        case alreadyApplied(ArchivedDocument)
        /// A document that could not be applied again, and why.
        case refused(ArchivedDocument, reason: String)
        /// Ladder steps fired at an instant.
        case fired(at: Instant, notices: [DecidedNotice])
    }

    public struct Report: Sendable {
        public var steps: [Step] = []
        /// Notices the backup held as pending whose file is already written: recorded delivered.
        public var pendingFound: [String] = []
        /// Files of `done/` that could not be read.
        public var problems: [String] = []

        public var replayed: Int { steps.count(where: { if case .applied = $0 { true } else { false } }) }
        public var refused: Int { steps.count(where: { if case .refused = $0 { true } else { false } }) }
        /// Every notice decided again.
        public var notices: [DecidedNotice] {
            steps.flatMap { step -> [DecidedNotice] in
                switch step {
                case let .applied(_, _, _, notices), let .fired(_, notices): notices
                case .alreadyApplied, .refused: []
                }
            }
        }
    }

    public init(configuration: Configuration, calendar: CalendarFacts, store: Store, daemonAccount: uid_t) {
        var trusted = configuration
        trusted.authorization = .off
        self.configuration = configuration
        rules = Rules(directory: configuration.directory, calendar: WorkingCalendar(facts: calendar),
                      clock: LocalClock(timeZone: configuration.timeZone))
        self.store = store
        spool = Spool(root: configuration.spool, outbox: configuration.outbox)
        self.daemonAccount = daemonAccount
        applier = DocumentApplier(configuration: trusted, rules: rules)
    }

    /// Replays what `done/` archived from `backup.appliedUntil` on (everything when the backup
    /// holds no document).
    public func run(after backup: BackupRecord) throws -> Report {
        var report = Report()
        let since = backup.appliedUntil
        let (documents, problems) = spool.archivedDocuments(since: since, firstDay: since.map(rules.clock.date(of:)),
                                                            maxBytes: configuration.maxDocumentBytes)
        report.problems = problems
        let written = spool.writtenNotices(owner: daemonAccount)
        let known = try store.read { tx in try tx.ledgerNoticeIDs() }
        // The instants of the passes: each document's, and each notice's the backup does not know.
        var instants = Set(documents.map(\.appliedAt))
        for (id, path) in written where !known.contains(id) {
            guard let bytes = Spool.contents(path, maxBytes: 1 << 20), case let .string(created)? = (try? JSONReader.parse(bytes))?["created"],
                  let at = Instant(rfc3339: created), since.map({ at >= $0 }) ?? true else { continue }
            instants.insert(at)
        }
        // Notices the backup held as pending that were written after it was taken.
        report.pendingFound = try store.write { tx in
            let found = try tx.undeliveredNoticeIDs().filter { written[$0] != nil }
            try tx.markDelivered(found)
            return found
        }
        var next = documents.startIndex
        for at in instants.sorted() {
            var end = next
            while end < documents.endIndex, documents[end].appliedAt == at { end += 1 }
            if next < end {
                let batch = documents[next..<end]
                report.steps += try store.write { tx in try batch.map { try apply($0, at: at, written: written, tx: tx) } }
                next = end
            }
            var fired: [DecidedNotice] = []
            while true {
                let (found, decided) = try store.write { tx in
                    let (found, notices) = try LadderScheduler.fireBatch(rules: rules, now: at, tx: tx)
                    return (found, try settle(notices, written: written, tx: tx))
                }
                fired += decided
                if !found { break }
            }
            if !fired.isEmpty { report.steps.append(.fired(at: at, notices: fired)) }
        }
        return report
    }

    /// Applies one document again at the instant it was first applied.
    private func apply(_ document: ArchivedDocument, at: Instant, written: [String: String], tx: StoreTransaction) throws -> Step {
        let parsed: Document
        do {
            parsed = try DocumentParser.parse(document.file.bytes)
        } catch {
            return .refused(document, reason: "\(error.code.rawValue): \(error.reason)")
        }
        let candidate = Candidate(file: document.file, document: parsed, rules: rules)
        switch try applier.apply(candidate, accounts: Accounts.lookUp([], agencies: []), tx: tx, now: at) {
        case let .applied(_, notices, _, parties):
            return .applied(document, kind: parsed.kind, parties: parties, notices: try settle(notices, written: written, tx: tx))
        case .duplicate:
            return .alreadyApplied(document)
        case .held:
            // Its request is not in the store: nothing to wait for here (the file is in done/).
            try tx.release(file: document.file.name)
            return .refused(document, reason: "unknown_request: no consultation \(parsed.consultationID) is known")
        case let .refused(rejection):
            return .refused(document, reason: "\(rejection.refusal.code.rawValue): \(rejection.refusal.reason)")
        }
    }

    /// Records the notices decided again whose file is written, or that have no recipients, as
    /// delivered; the others stay pending.
    private func settle(_ notices: [Notice], written: [String: String], tx: StoreTransaction) throws -> [DecidedNotice] {
        let decided = notices.map { notice in
            DecidedNotice(notice: notice, fate: written[notice.noticeID].map { .found(path: $0) } ?? (notice.hasRecipients ? .pending : .journalOnly))
        }
        try tx.markDelivered(decided.filter { $0.fate != .pending }.map(\.notice.noticeID))
        return decided
    }
}
