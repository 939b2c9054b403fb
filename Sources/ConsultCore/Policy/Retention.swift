/// How long the spool keeps what is done with (contract §2, `[retention]`): days to keep
/// `done/`, `rejected/` and `outbox/sent/`; nil keeps for ever.
public struct Retention: Sendable, Equatable {
    public var doneDays: Int?
    public var rejectedDays: Int?
    public var sentDays: Int?

    public init(doneDays: Int? = nil, rejectedDays: Int? = nil, sentDays: Int? = nil) {
        self.doneDays = doneDays
        self.rejectedDays = rejectedDays
        self.sentDays = sentDays
    }

    /// Whether anything is ever removed.
    public var removesAnything: Bool { doneDays != nil || rejectedDays != nil || sentDays != nil }

    /// Whether what is dated `date` has outlived `days` on `today`: it is kept for `days` whole
    /// days after its own (`done_days = 30` keeps `done/2025-03-01/` through 2025-03-31 and
    /// removes it on 2025-04-01). Never when `days` is nil.
    public static func isExpired(_ date: LocalDate, keep days: Int?, today: LocalDate) -> Bool {
        guard let days else { return false }
        return date.adding(days: days) < today
    }

    /// The `key=value` settings in force, for messages (`done_days=30, sent_days=90`).
    public var summary: String {
        [("done_days", doneDays), ("rejected_days", rejectedDays), ("sent_days", sentDays)]
            .compactMap { key, days in days.map { "\(key)=\($0)" } }.joined(separator: ", ")
    }

    /// The consultation a notice id names (`CONSULTATION.AGENCY.SUFFIX`, where the consultation
    /// id may itself hold dots): the longest prefix before a dot that `isKnown` accepts.
    public static func consultation(ofNoticeID id: Substring, isKnown: (Substring) -> Bool) -> Substring? {
        var end = id.endIndex
        while let dot = id[..<end].lastIndex(of: ".") {
            let prefix = id[..<dot]
            if isKnown(prefix) { return prefix }
            end = dot
        }
        return nil
    }
}
