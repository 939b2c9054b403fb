/// What one pass did, for `--once` and for the service's STATUS line.
public struct PassSummary: Sendable, Equatable {
    public var applied = 0
    public var duplicates = 0
    public var refused = 0
    public var held = 0
    /// Entries refused once that could not be moved, and are left alone while they stay.
    public var ignored = 0
    public var notices = 0
    /// Notices or moves that failed for I/O reasons and will be retried.
    public var ioFailures = 0
    /// What failed first, in words (for the service's STATUS line and its journal entry).
    public var failure: String?
    /// The counts by kind, code and event, for the metrics.
    public var tally = Tally()

    /// Documents applied by kind, refused by code, notices emitted by event.
    public struct Tally: Sendable, Equatable {
        public var applied: [String: Int] = [:]
        public var refused: [String: Int] = [:]
        public var notices: [String: Int] = [:]

        public init() {}
    }

    public init() {}

    /// Whether the pass did anything the store or the spool shows.
    public var changedAnything: Bool { applied + duplicates + refused + held + notices > 0 }

    /// Counts an I/O failure that will be retried; the first one of the pass is remembered.
    public mutating func failed(_ what: String) {
        ioFailures += 1
        if failure == nil { failure = what }
    }

    /// The failures of the pass in one phrase: the first, and how many others (nil when none).
    public var failures: String? {
        guard ioFailures > 0 else { return nil }
        let first = failure ?? "an I/O operation failed"
        return ioFailures == 1 ? first : "\(first) (and \(ioFailures - 1) other failure\(ioFailures == 2 ? "" : "s"))"
    }

    public static func += (a: inout PassSummary, b: PassSummary) {
        a.applied += b.applied
        a.duplicates += b.duplicates
        a.refused += b.refused
        a.held += b.held
        a.ignored += b.ignored
        a.notices += b.notices
        a.ioFailures += b.ioFailures
        if a.failure == nil { a.failure = b.failure }
        a.tally.applied.merge(b.tally.applied, uniquingKeysWith: +)
        a.tally.refused.merge(b.tally.refused, uniquingKeysWith: +)
        a.tally.notices.merge(b.tally.notices, uniquingKeysWith: +)
    }
}

/// How the caller steers a long pass: the three parts ask it between batches.
public final class PassControl {
    /// When it answers true, the pass stops and what is left (documents in `new/`, steps due,
    /// notices pending) waits for the next one (a stopping service finishes only the batch in hand).
    public var shouldStop: () -> Bool = { false }

    /// Called between batches of a long pass, so that the service can tell systemd it is alive.
    public var betweenBatches: () -> Void = {}

    public init() {}
}
