import ConsultCore
import GRDB

/// Domain operations inside one store transaction, in files by job: what intake writes
/// (`+Intake`), what the ladder asks (`+Schedule`), the notice queue (`+NoticeQueue`), what
/// administrators read (`+AdminReads`) and the store's own facts (`+Meta`).
///
/// Two ways to SQLite: GRDB's cached statements for everything (below), and SQLite's C API for
/// the few statements measured hot (``HotStatements.swift``). Every stored value is decoded
/// strictly: an unknown one is a ``StoreError`` (`store_inconsistent`), never a default.
public struct StoreTransaction {
    let db: Database
    /// The hot statements this transaction has used (``hotStep(_:_:)``).
    let hot = HotStatements()

    init(db: Database) { self.db = db }

    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    func row(_ sql: String, _ arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func value<V: DatabaseValueConvertible & StatementColumnConvertible>(_ sql: String, _ arguments: StatementArguments = []) throws -> V? {
        try V.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    func values<V: DatabaseValueConvertible & StatementColumnConvertible>(_ sql: String, _ arguments: StatementArguments = []) throws -> [V] {
        try V.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

// MARK: - Strict decoding

extension StoreTransaction {
    /// A stored token of a closed set (a state, a status, a kind …); `what` names it in the error.
    static func decode<T: RawRepresentable>(_ raw: String?, _ what: @autoclosure () -> String) throws -> T where T.RawValue == String {
        guard let raw, let value = T(rawValue: raw) else {
            throw StoreError(.inconsistent, "\(what()) has an unknown value \(raw.map { "'\($0)'" } ?? "NULL")")
        }
        return value
    }

    /// As ``decode(_:_:)``, where NULL means none.
    static func decodeIfPresent<T: RawRepresentable>(_ raw: String?, _ what: @autoclosure () -> String) throws -> T? where T.RawValue == String {
        guard let raw else { return nil }
        return try decode(raw, what())
    }

    /// A stored date (`YYYY-MM-DD`).
    static func date(_ raw: String?, _ what: @autoclosure () -> String) throws -> LocalDate {
        guard let raw, let date = LocalDate(iso: raw) else { throw StoreError(.inconsistent, "\(what()) is not a date") }
        return date
    }

    /// A JSON array of strings as stored (agency codes, reason tokens).
    static func strings(_ text: String, _ what: @autoclosure () -> String) throws -> [String] {
        guard case let .array(items) = try JSONReader.parse(Array(text.utf8)) else {
            throw StoreError(.inconsistent, "\(what()) is not a JSON array")
        }
        return try items.map { item in
            guard case let .string(s) = item else { throw StoreError(.inconsistent, "\(what()) holds a non-string") }
            return s
        }
    }

    static func json(_ strings: [String]) -> String { JSONWriter.string(.strings(strings)) }

    /// An assessment as stored: verdict, reasons, evidence and the position read; `what` names
    /// the row in an error (built only then: rows are decoded on intake's path).
    static func assessment(verdict: String?, reasons: String?, evidence: String?, position: String?,
                           _ what: () -> String) throws -> Assessment? {
        guard let verdict else { return nil }
        let v: Verdict = try decode(verdict, "\(what()): verdict")
        let reasons = try reasons.map { try strings($0, "\(what()): reasons") } ?? []
        var list: [Evidence] = []
        if let evidence {
            guard let read = Evidence.list(try JSONReader.parse(Array(evidence.utf8))) else {
                throw StoreError(.inconsistent, "\(what()) has evidence that is not a list of {reason, quote}")
            }
            list = read
        }
        let taken: Position? = position?.isEmpty ?? true ? nil : try decode(position, "\(what()): position")
        return Assessment(v, reasons, evidence: list, position: taken)
    }
}
