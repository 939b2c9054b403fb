import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Logging

/// Retention (contract §2, `[retention]`): removes from `done/`, `rejected/` and `outbox/sent/`
/// what has outlived its days, files of open consultations aside, and tells the journal once
/// per sweep what went. The daemon sweeps once a day — at its first pass of each local day,
/// `--once` runs included (the day is remembered in the store) — and `consultctl prune` on
/// demand, from the same plan.
public final class RetentionSweep {
    let configuration: Configuration
    let clock: LocalClock
    let store: Store
    let spool: Spool
    let journal: Journal
    let logger: Logger
    let control: PassControl
    /// The day of the last sweep, once read from the store.
    private var lastDay: LocalDate?

    static let sweptKey = "retention_swept"

    public init(configuration: Configuration, store: Store, journal: Journal, logger: Logger, control: PassControl = PassControl()) {
        self.configuration = configuration
        clock = LocalClock(timeZone: configuration.timeZone)
        self.store = store
        spool = Spool(root: configuration.spool, outbox: configuration.outbox)
        self.journal = journal
        self.logger = logger
        self.control = control
    }

    /// What a sweep at `now` removes, and what it keeps because its consultation is open.
    public func plan(now: Instant) throws -> RetentionPlan {
        let open = Set(try store.read { tx in try tx.openConsultationIDs() })
        return spool.retentionPlan(configuration.retention, today: clock.date(of: now), clock: clock,
                                   maxBytes: configuration.maxDocumentBytes, isOpen: open.contains, progress: control.betweenBatches)
    }

    /// Sweeps once per local day: the first call on a day it has not swept yet does.
    public func sweepIfDue(now: Instant) {
        guard configuration.retention.removesAnything else { return }
        let today = clock.date(of: now)
        do {
            if lastDay == nil { lastDay = try store.read { tx in try tx.meta(Self.sweptKey) }.flatMap(LocalDate.init(iso:)) }
            guard lastDay != today else { return }
            let plan = try plan(now: now)
            _ = execute(plan, by: "consultd")
            try store.write { tx in try tx.setMeta(Self.sweptKey, today.description) }
            lastDay = today
        } catch {
            logger.error("Retention sweep failed: \(error). It is tried again at the next pass.")
        }
    }

    /// Removes what `plan` says goes and tells the journal, in one entry, what went (nothing
    /// when nothing went and nothing failed); `by` says who swept (`consultd`, `consultctl prune`).
    @discardableResult
    public func execute(_ plan: RetentionPlan, by who: String) -> RetentionOutcome {
        let outcome = spool.prune(plan, progress: control.betweenBatches)
        let failures = plan.problems + outcome.failures
        let total = outcome.removed.values.reduce(0, +)
        guard total > 0 || !failures.isEmpty else { return outcome }
        let count = { (area: RetentionPlan.Area) in outcome.removed[area] ?? 0 }
        var message = "Retention (\(configuration.retention.summary)), by \(who): removed \(count(.done)) file\(count(.done) == 1 ? "" : "s") from \(spool.done)/, \(count(.rejected)) from \(spool.rejected)/ and \(count(.sent)) from \(spool.sent)/"
        if outcome.folders > 0 { message += ", and \(outcome.folders) emptied day folder\(outcome.folders == 1 ? "" : "s")" }
        let kept = plan.kept
        if !kept.isEmpty {
            let consultations = Set(kept.compactMap(\.consultation)).count
            message += "; kept \(kept.count) file\(kept.count == 1 ? "" : "s") past their days, of \(consultations) open consultation\(consultations == 1 ? "" : "s")"
        }
        if let first = failures.first {
            message += "; \(failures.count) could not be removed or read (first: \(first))"
        }
        journal.send(.retention, priority: failures.isEmpty ? nil : .warning, message: message + ".",
                     fields: [("CONSULT_REMOVED_DONE", String(count(.done))), ("CONSULT_REMOVED_REJECTED", String(count(.rejected))),
                              ("CONSULT_REMOVED_SENT", String(count(.sent))), ("CONSULT_KEPT_OPEN", String(kept.count))])
        return outcome
    }
}
