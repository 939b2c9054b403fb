import ConsultCore
import GRDB

/// Open duties of one agency and kind falling due on one day, counted (for the metrics).
public struct OpenDutyGroup: Sendable, Equatable {
    public let agency: String
    public let kind: DutyKind
    public let due: LocalDate
    public let count: Int

    public init(agency: String, kind: DutyKind, due: LocalDate, count: Int) {
        self.agency = agency
        self.kind = kind
        self.due = due
        self.count = count
    }
}

// What the metrics file reports: read on a connection of its own, never written here.
extension StoreTransaction {
    /// Consultations still open.
    public func openConsultationCount() throws -> Int {
        try value("SELECT count(*) FROM consultations WHERE state = 'open'") ?? 0
    }

    /// The open duties grouped by agency, kind and due date: a few thousand groups however many
    /// duties, from which the caller tells due from overdue and the step each group has reached.
    public func openDutyGroups() throws -> [OpenDutyGroup] {
        var groups: [OpenDutyGroup] = []
        try db.hotRows("SELECT agency, kind, due, count(*) FROM duties WHERE status = 'open' GROUP BY agency, kind, due") { row in
            let agency = row.text(0) ?? ""
            let kind: DutyKind = try Self.decode(row.text(1), "duty of \(agency): kind")
            guard let due = row.text(2).flatMap(LocalDate.init(iso:)) else {
                throw StoreError(.inconsistent, "duty of \(agency): due date \(row.text(2) ?? "NULL") is no date")
            }
            groups.append(OpenDutyGroup(agency: agency, kind: kind, due: due, count: Int(row.integer(3))))
        }
        return groups
    }
}
