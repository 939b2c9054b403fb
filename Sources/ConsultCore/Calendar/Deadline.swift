/// How a deadline was reached, frozen when first computed so that it can be explained later
/// and never moves when the calendar file changes.
public struct DeadlineBasis: Sendable, Equatable {
    public enum Method: String, Sendable {
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

/// A stored deadline basis that cannot be read back.
public struct StoredFormError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension DeadlineBasis {
    /// The stored form: a compact JSON object, keys in alphabetical order (`reason` only when set).
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("days", .int(days)), ("deadline", .string(deadline.description)), ("method", .string(method.rawValue)),
            ("provisional", .bool(provisional)),
        ]
        if let reason { members.append(("reason", .string(reason))) }
        members.append(("sent", .string(sent.description)))
        members.append(("skipped", .array(skipped.map { .object([("date", .string($0.date.description)), ("name", .string($0.name))]) })))
        return .object(members)
    }

    /// Reads the stored form back.
    public init(json: JSONValue) throws(StoredFormError) {
        func date(_ value: JSONValue?, _ key: String) throws(StoredFormError) -> LocalDate {
            guard case let .string(text)? = value, let date = LocalDate(iso: text) else {
                throw StoredFormError("deadline basis: \(key) is not a date")
            }
            return date
        }
        guard case let .string(method)? = json["method"], let method = Method(rawValue: method) else {
            throw StoredFormError("deadline basis: unknown method")
        }
        guard case let .number(days)? = json["days"], let days = Int(days) else {
            throw StoredFormError("deadline basis: days is not an integer")
        }
        guard case let .bool(provisional)? = json["provisional"] else {
            throw StoredFormError("deadline basis: provisional is not a boolean")
        }
        var skipped: [DayOff] = []
        if case let .array(items)? = json["skipped"] {
            for item in items {
                guard case let .string(name)? = item["name"] else { throw StoredFormError("deadline basis: a skipped day has no name") }
                skipped.append(DayOff(date: try date(item["date"], "skipped date"), name: name))
            }
        }
        var reason: String?
        if case let .string(text)? = json["reason"] { reason = text }
        self.init(method: method, sent: try date(json["sent"], "sent"), days: days, deadline: try date(json["deadline"], "deadline"),
                  provisional: provisional, skipped: skipped, reason: reason)
    }
}

