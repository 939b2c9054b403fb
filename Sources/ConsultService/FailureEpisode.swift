import ConsultCore

/// A failure that lasts: from the pass that first fails to the next full pass without failure.
/// Only full passes retry what failed, at intervals doubling from 1 s to 60 s.
struct FailureEpisode {
    static let firstRetryInterval: Duration = .seconds(1)
    static let maximumRetryInterval: Duration = .seconds(60)

    /// The latest failure, in words.
    private(set) var what: String
    let since: Instant
    private(set) var retryInterval = FailureEpisode.firstRetryInterval
    /// When the next full pass retries what failed.
    private(set) var retryAt: ContinuousClock.Instant

    init(what: String, since: Instant, now: ContinuousClock.Instant) {
        self.what = what
        self.since = since
        retryAt = now + retryInterval
    }

    /// Another pass failed; a full one doubles the interval to the next retry.
    mutating func failedAgain(_ failure: String, full: Bool, now: ContinuousClock.Instant) {
        what = failure
        guard full else { return }
        retryInterval = min(retryInterval * 2, Self.maximumRetryInterval)
        retryAt = now + retryInterval
    }
}
