import ConsultCore

/// A failure that lasts: from the pass that first fails to the next full pass without failure.
/// Only full passes retry what failed, at intervals doubling from 1 s to 60 s.
public struct FailureEpisode: Sendable {
    public static let firstRetryInterval: Duration = .seconds(1)
    public static let maximumRetryInterval: Duration = .seconds(60)

    /// The latest failure, in words.
    public private(set) var what: String
    public let since: Instant
    public private(set) var retryInterval = FailureEpisode.firstRetryInterval
    /// When the next full pass retries what failed.
    public private(set) var retryAt: ContinuousClock.Instant

    public init(what: String, since: Instant, now: ContinuousClock.Instant) {
        self.what = what
        self.since = since
        retryAt = now + retryInterval
    }

    /// Another pass failed; a full one doubles the interval to the next retry.
    public mutating func failedAgain(_ failure: String, full: Bool, now: ContinuousClock.Instant) {
        what = failure
        guard full else { return }
        retryInterval = min(retryInterval * 2, Self.maximumRetryInterval)
        retryAt = now + retryInterval
    }
}
