/// How a deadline was reached, frozen when first computed so that it can be explained later
/// and never moves when the calendar file changes.
public struct DeadlineBasis: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable {
        /// N working days counted from the sent date.
        case workingDays = "working_days"
        /// A date the request named.
        case explicit
        /// A date an extension set.
        case extended
    }

    public var method: Method
    /// Local date of `sent`: day zero of the count.
    public var sent: LocalDate
    /// Working days from `sent` to `deadline`.
    public var days: Int
    public var deadline: LocalDate
    /// True when the count crossed a year the calendar file does not cover.
    public var provisional: Bool
    /// The weekdays off passed over between `sent` and `deadline`.
    public var skipped: [DayOff]
    /// The extension's reason, for `extended`.
    public var reason: String?

    public init(method: Method, sent: LocalDate, days: Int, deadline: LocalDate, provisional: Bool,
                skipped: [DayOff], reason: String? = nil) {
        self.method = method
        self.sent = sent
        self.days = days
        self.deadline = deadline
        self.provisional = provisional
        self.skipped = skipped
        self.reason = reason
    }
}

extension WorkingCalendar {
    /// The date `days` working days after `from` (day zero), with the days off it passed over.
    public func deadline(from: LocalDate, workingDays days: Int) -> DeadlineBasis {
        let end = shift(from, byWorkingDays: max(days, 0))
        return DeadlineBasis(method: .workingDays, sent: from, days: days, deadline: end,
                             provisional: isProvisional(from: from, through: end),
                             skipped: daysOff(after: from, through: end))
    }

    /// A deadline set to a given date, explained against the sent date.
    public func fixedDeadline(from: LocalDate, to end: LocalDate, method: DeadlineBasis.Method,
                              reason: String? = nil) -> DeadlineBasis {
        DeadlineBasis(method: method, sent: from, days: workingDays(after: from, through: end), deadline: end,
                      provisional: isProvisional(from: from, through: end),
                      skipped: daysOff(after: from, through: end), reason: reason)
    }
}

extension LocalDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

