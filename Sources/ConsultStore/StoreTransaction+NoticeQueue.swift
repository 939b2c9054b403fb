import ConsultCore
import GRDB

/// A notice pending in the store whose payload cannot be read back.
public struct UnreadableNotice: Error, Sendable, CustomStringConvertible {
    public let noticeID: String
    public let consultation: String
    public let reason: String

    public var description: String { "notice \(noticeID) of \(consultation) cannot be read back: \(reason)" }
}

// The notice queue: notices committed with their ledger entry, waiting to be delivered.
extension StoreTransaction {
    /// Notices committed but not yet confirmed written to the outbox and journal, in the order
    /// they were recorded, from after the ledger row `after`: each with its row, to go on from.
    /// One that cannot be read back is returned as such, never skipped.
    public func undeliveredNotices(after: Int64 = 0, limit: Int = 1024) throws
        -> [(row: Int64, notice: Result<Notice, UnreadableNotice>)] {
        try rows("SELECT rowid, notice_id, consultation, payload FROM ledger WHERE delivered = 0 AND rowid > ? ORDER BY rowid LIMIT ?",
                 [after, limit]).map { row in
            func unreadable(_ reason: String) -> Result<Notice, UnreadableNotice> {
                .failure(UnreadableNotice(noticeID: row["notice_id"], consultation: row["consultation"], reason: reason))
            }
            guard let payload = row["payload"] as String? else { return (row[0], unreadable("no payload was stored")) }
            do {
                return (row[0], .success(try Notice(outbox: JSONReader.parse(Array(payload.utf8)))))
            } catch {
                return (row[0], unreadable("\(error)"))
            }
        }
    }

    /// Every notice id the ledger holds, sent or skipped.
    public func ledgerNoticeIDs() throws -> Set<String> {
        Set(try values("SELECT notice_id FROM ledger") as [String])
    }

    /// The ids of the notices committed but not recorded as delivered.
    public func undeliveredNoticeIDs() throws -> [String] {
        try values("SELECT notice_id FROM ledger WHERE delivered = 0 ORDER BY rowid")
    }

    public func markDelivered(_ ids: [String]) throws {
        for id in ids { try execute("UPDATE ledger SET delivered = 1 WHERE notice_id = ?", [id]) }
    }
}
