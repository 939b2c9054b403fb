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

    public init() {}

    public static func += (a: inout PassSummary, b: PassSummary) {
        a.applied += b.applied
        a.duplicates += b.duplicates
        a.refused += b.refused
        a.held += b.held
        a.ignored += b.ignored
        a.notices += b.notices
        a.ioFailures += b.ioFailures
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
