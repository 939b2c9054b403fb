import GRDB
import GRDBSQLite

/// Values bound one after another to a statement's parameters, through SQLite's C API.
struct Bindings {
    fileprivate let handle: OpaquePointer
    fileprivate var index: Int32 = 1

    /// SQLite copies the text: the pointer Swift lends a `String` lives only for the call.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    mutating func text(_ value: String?) {
        if let value {
            // The UTF-8 in place with its length: passing the `String` itself would copy it into
            // a new array first (and SQLite would count its bytes again).
            // (An empty text needs a pointer all the same: a null one would bind NULL.)
            let bound = value.utf8.withContiguousStorageIfAvailable { utf8 in
                utf8.baseAddress.map { bytes in
                    sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self), Int32(utf8.count),
                                      Self.transient)
                }
            } ?? nil
            if bound == nil { value.withCString { _ = sqlite3_bind_text(handle, index, $0, -1, Self.transient) } }
        } else {
            sqlite3_bind_null(handle, index)
        }
        index += 1
    }

    mutating func integer(_ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func integer(_ value: Int?) { integer(value.map(Int64.init)) }
}

// SQLite's C API, for the statements measured hot and only those: intake's writes of a
// consultation, its duties and its document (`hotStep`), and the scans behind `consultctl list`
// (`hotRows`). Everything else goes through GRDB.

/// The hot statements a transaction has used, by the address of their text: finding one again
/// costs a few pointer comparisons instead of hashing its SQL (GRDB's cache is keyed by the text).
final class HotStatements {
    private var statements: [(sql: UnsafeRawPointer, statement: Statement)] = []

    func statement(_ sql: StaticString, in db: Database) throws -> Statement {
        let key = UnsafeRawPointer(sql.utf8Start)
        for entry in statements where entry.sql == key { return entry.statement }
        let statement = try db.cachedStatement(sql: sql.description)
        statements.append((key, statement))
        return statement
    }
}

extension StoreTransaction {
    /// Runs a statement prepared once per connection, its values bound directly. Intake runs a
    /// few statements tens of thousands of times, and building `StatementArguments` for each cost
    /// as much as SQLite's own work. Returns whether the statement produced a row.
    @discardableResult
    func hotStep(_ sql: StaticString, _ bind: (inout Bindings) -> Void) throws -> Bool {
        let statement = try hot.statement(sql, in: db)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var bindings = Bindings(handle: handle)
        bind(&bindings)
        let code = sqlite3_step(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw db.failure(code, sql: sql.description) }
        return code == SQLITE_ROW
    }
}

/// The columns of the row a directly stepped statement stands on.
struct Columns {
    fileprivate let handle: OpaquePointer

    func text(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: bytes)
    }

    func integer(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
}

extension Database {
    /// Steps through every row of a query, its columns read directly: a `Row` per row cost
    /// more than SQLite's own work when `list` reads a million duties.
    func hotRows(_ sql: String, _ body: (Columns) throws -> Void) throws {
        let statement = try makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw failure(code, sql: sql) }
            try body(Columns(handle: handle))
        }
    }

    /// The error of a failed step, as GRDB would report it (its code tells a full disk or a
    /// damaged file from other failures).
    func failure(_ code: Int32, sql: String) -> DatabaseError {
        let message = sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }
}
