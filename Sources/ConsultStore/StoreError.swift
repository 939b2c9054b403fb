/// A failure of the state store, with a stable code.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case openFailed = "store_open_failed"
        case corrupt = "store_corrupt"
        case inconsistent = "store_inconsistent"
        /// Another process holds the store: the daemon, or `consultctl restore`.
        case locked = "store_locked"
        /// A file given as a backup is not one.
        case notABackup = "not_a_backup"
        /// The store was migrated by a newer consultd: this one must not work on it.
        case newerSchema = "store_newer_schema"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
