import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Logging

/// The daemon's three parts over one store, spool and journal, as `--once` and the service both
/// compose them: ``Intake`` (spool → store), ``LadderScheduler`` (due steps → notices) and
/// ``NoticeDelivery`` (notices → outbox and journal). Not thread-safe: one thread drives it.
public final class Engine {
    public let configuration: Configuration
    public let rules: Rules
    public let intake: Intake
    public let scheduler: LadderScheduler
    public let delivery: NoticeDelivery
    /// Retention of `done/`, `rejected/` and `outbox/sent/`, swept once a day.
    public let retention: RetentionSweep
    /// How the caller steers long passes (stop between batches, feed a watchdog).
    public let control = PassControl()
    /// `consultd.prom` for node_exporter, when a textfile folder is configured (or Debian's exists).
    public let metrics: Metrics?
    let store: Store

    public init(configuration: Configuration, calendar: CalendarFacts, store: Store, journal: Journal, logger: Logger) throws(FileSystemError) {
        let rules = Rules(directory: configuration.directory, calendar: WorkingCalendar(facts: calendar),
                          clock: LocalClock(timeZone: configuration.timeZone))
        let spool = Spool(root: configuration.spool, outbox: configuration.outbox)
        try spool.prepare()
        self.configuration = configuration
        self.rules = rules
        self.store = store
        delivery = NoticeDelivery(store: store, spool: spool, journal: journal, logger: logger, control: control)
        intake = Intake(configuration: configuration, rules: rules, store: store, spool: spool, journal: journal, logger: logger,
                        delivery: delivery, control: control)
        scheduler = LadderScheduler(rules: rules, store: store, delivery: delivery, control: control)
        metrics = configuration.metricsDirectory.map {
            Metrics(directory: $0, configuration: configuration, rules: rules, version: Version.current, logger: logger)
        }
        retention = RetentionSweep(configuration: configuration, store: store, journal: journal, logger: logger, control: control)
    }

    /// One pass at `now`: the notices left pending by an earlier run first, then the documents
    /// waiting (all of `new/`, or only `names`), then the steps due.
    public func pass(now: Instant, names: [String]? = nil) throws -> PassSummary {
        var summary = try delivery.deliverPending()
        summary += try intake.ingestWaiting(now: now, names: names)
        summary += try scheduler.fireDueSteps(now: now)
        metrics?.record(summary, at: now)
        return summary
    }

    /// `consultd --once`: what a crash left in `outbox/.tmp/` removed, a full pass at `now`, the
    /// day's retention sweep (as of `now`), then the sweep of `tmp/` (at the real time); it
    /// returns once the submitters' files earlier runs set aside are removed and what it
    /// archived is durable.
    public func runOnce(now: Instant) throws -> PassSummary {
        delivery.removeStagingLeftovers()
        let summary = try pass(now: now)
        retention.sweepIfDue(now: now)
        intake.sweepStaleHandOffs(now: .now)
        try intake.settleBeforeExit()
        metrics?.writeNow()
        metrics?.close()
        return summary
    }

    /// Counts for the service's STATUS line.
    public func statusCounts(now: Instant) throws -> (open: Int, overdue: Int) {
        try store.read { tx in try tx.statusCounts(today: rules.clock.date(of: now)) }
    }
}
