import ConsultCore
import ConsultStore

/// The ladder: finds the consultations with a step due (through the store's index), fires their
/// steps and hands the notices to delivery.
public final class LadderScheduler {
    let rules: Rules
    let store: Store
    let delivery: NoticeDelivery
    let control: PassControl

    /// Consultations whose steps are fired per store transaction.
    static let batch = 200

    init(rules: Rules, store: Store, delivery: NoticeDelivery, control: PassControl) {
        self.rules = rules
        self.store = store
        self.delivery = delivery
        self.control = control
    }

    /// Fires every ladder step due at `now`.
    public func fireDueSteps(now: Instant) throws -> PassSummary {
        var summary = PassSummary()
        while !control.shouldStop() {
            control.betweenBatches()
            let (found, notices) = try store.write { tx in try Self.fireBatch(rules: rules, now: now, tx: tx) }
            guard found else { break }
            summary += delivery.deliver(notices)
        }
        return summary
    }

    /// Fires the steps due at `now` of up to ``batch`` consultations in one transaction: whether
    /// any was due, and the notices to deliver once it is committed.
    static func fireBatch(rules: Rules, now: Instant, tx: StoreTransaction) throws -> (found: Bool, notices: [Notice]) {
        let ids = try tx.consultationsWithStepsDue(at: now, limit: batch)
        var all: [Notice] = []
        for id in ids {
            guard var c = try tx.consultation(id) else { continue }
            let notices = c.fireDueSteps(rules: rules, now: now)
            try tx.save(c, notices: notices, now: now)
            all += notices
        }
        return (!ids.isEmpty, all)
    }

    /// When the next ladder step is due, for the service's timer.
    public func nextStepInstant() throws -> Instant? { try store.read { tx in try tx.nextStepInstant() } }
}
