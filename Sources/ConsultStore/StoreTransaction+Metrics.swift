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
    ///
    /// Counted here while the open duties are read (by the partial index on open duties, which
    /// covers these columns): SQLite's GROUP BY sorted every open duty first, which cost more
    /// than the read. The groups come in the order GROUP BY gave (agency, kind, due; bytewise).
    public func openDutyGroups() throws -> [OpenDutyGroup] {
        struct Key: Hashable { let agency: String?, kind: String?, due: String? }
        var counts: [Key: Int] = [:]
        try db.hotRows("SELECT agency, kind, due FROM duties WHERE status = 'open'") { row in
            counts[Key(agency: row.text(0), kind: row.text(1), due: row.text(2)), default: 0] += 1
        }
        func bytewise(_ a: String?, _ b: String?) -> Bool? {
            switch (a, b) {
            case (nil, nil): return nil
            case (nil, _): return true
            case (_, nil): return false
            case let (a?, b?): return a == b ? nil : a.utf8.lexicographicallyPrecedes(b.utf8)
            }
        }
        let keys = counts.keys.sorted { a, b in
            bytewise(a.agency, b.agency) ?? bytewise(a.kind, b.kind) ?? bytewise(a.due, b.due) ?? false
        }
        return try keys.map { key in
            let agency = key.agency ?? ""
            let kind: DutyKind = try Self.decode(key.kind, "duty of \(agency): kind")
            guard let due = key.due.flatMap(LocalDate.init(iso:)) else {
                throw StoreError(.inconsistent, "duty of \(agency): due date \(key.due ?? "NULL") is no date")
            }
            return OpenDutyGroup(agency: agency, kind: kind, due: due, count: counts[key]!)
        }
    }
}
