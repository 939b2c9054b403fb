import GRDB

// Facts the store keeps about the daemon's own work, so that what is said once stays said once
// across runs.
extension StoreTransaction {
    public func meta(_ key: String) throws -> String? {
        try value("SELECT value FROM meta WHERE key = ?", [key])
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
    }

    public func deleteMeta(_ key: String) throws {
        try execute("DELETE FROM meta WHERE key = ?", [key])
    }

    /// Whether outbox writes were failing when last tried (an episode is told once).
    public func isOutboxFailing() throws -> Bool { try meta(Self.outboxFailingKey) != nil }

    public func setOutboxFailing(_ failing: Bool) throws {
        if failing { try setMeta(Self.outboxFailingKey, "1") } else { try deleteMeta(Self.outboxFailingKey) }
    }

    private static let outboxFailingKey = "outbox_failing"
}
