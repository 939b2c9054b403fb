#if canImport(Glibc)
import Glibc
#endif
import ConsultCore
import ConsultSpool

/// A document read and parsed, waiting to be applied. A class: batches, outcomes and the sort
/// pass it around by reference rather than copying its file, document and consultation.
final class Candidate: Sendable {
    let file: SpoolFile
    let document: Document
    let hash: String
    /// What decides whether it was applied before: its parsed content (``Document/canonicalKey``).
    let content: String
    /// For a request, the consultation it opens: worked out (deadlines, ladder) while the
    /// documents are read, on all cores, rather than inside the store's transaction.
    let opened: Consultation?

    init(file: SpoolFile, document: Document, rules: Rules) {
        self.file = file
        self.document = document
        self.hash = SHA256.hex(file.bytes)
        self.content = document.canonicalKey
        if case let .request(request) = document { opened = Consultation.open(request, rules: rules) } else { opened = nil }
    }
}

/// A year a deadline reaches that the calendar file does not cover, met for the first time ever.
struct UncoveredYear: Sendable, Equatable {
    let year: Int
    let consultation: String
    let deadline: LocalDate
}

/// What applying one document decided. Journal entries are sent from it after the commit, so
/// that a batch rolled back leaves no entry behind.
enum Outcome: Sendable {
    /// Applied: its notices, the years first met that the calendar does not cover, and whom it
    /// concerns (the consultation's lead included) for the journal.
    case applied(Candidate, [Notice], uncovered: [UncoveredYear], parties: NamedParties)
    case duplicate(Candidate)
    /// Waits for its request: held since `since`, and for the first time when `since` is now.
    case held(Candidate, since: Instant)
    case refused(Rejection)
}
