import ConsultCore
import GRDB

// What the ladder and the service's STATUS line ask, each answered through an index (tests
// check the plans).
extension StoreTransaction {
    /// Ids of open consultations with a ladder step due at or before `now`.
    public func consultationsWithStepsDue(at now: Instant, limit: Int = 1000) throws -> [String] {
        try values(Self.stepsDueSQL, [now.seconds, limit])
    }

    /// The earliest instant at which any ladder step is due.
    public func nextStepInstant() throws -> Instant? {
        try (value(Self.nextStepSQL) as Int64?).map(Instant.init(seconds:))
    }

    /// Open consultations, and open duties whose due date is before `today`.
    public func statusCounts(today: LocalDate) throws -> (open: Int, overdue: Int) {
        let open: Int = try value("SELECT count(*) FROM consultations WHERE state = 'open'") ?? 0
        let overdue: Int = try value(Self.overdueCountSQL, [today.description]) ?? 0
        return (open, overdue)
    }

    static let stepsDueSQL = """
        SELECT id FROM consultations WHERE next_step_at IS NOT NULL AND next_step_at <= ?
        ORDER BY next_step_at LIMIT ?
        """
    static let nextStepSQL = "SELECT MIN(next_step_at) FROM consultations WHERE next_step_at IS NOT NULL"
    static let overdueCountSQL = "SELECT count(*) FROM duties WHERE status = 'open' AND due < ?"
}
