/// A notice: what the outbox file says and what the journal entry carries.
public struct Notice: Sendable, Equatable {
    public var noticeID: String
    public var event: String
    public var step: String?
    public var priority: Priority
    public var consultation: String
    public var title: String
    public var lead: String
    public var agency: String?
    public var deadline: LocalDate?
    public var daysLate: Int
    public var lateDetected: Bool
    public var reasons: [String]
    public var to: [String]
    public var cc: [String]
    public var subject: String
    public var body: String
    /// RFC 3339 local time of creation.
    public var created: String

    /// Whether the notice has anyone to go to; without recipients it is journal-only.
    public var hasRecipients: Bool { !to.isEmpty || !cc.isEmpty }

    /// The outbox file's content (contract §8), keys in the contract's order.
    public var outboxJSON: JSONValue {
        .object([
            ("notice_id", .string(noticeID)), ("event", .string(event)), ("step", .optional(step)),
            ("priority", .string(priority.rawValue)), ("consultation", .string(consultation)), ("title", .string(title)),
            ("lead", .string(lead)), ("agency", .optional(agency)), ("deadline", .optional(deadline?.description)),
            ("days_late", .int(daysLate)), ("late_detected", .bool(lateDetected)), ("reasons", .strings(reasons)),
            ("to", .strings(to)), ("cc", .strings(cc)), ("subject", .string(subject)), ("body", .string(body)),
            ("created", .string(created)),
        ])
    }

    /// Reads back an outbox payload written by ``outboxJSON``; every key must be there, of its type.
    public init(outbox json: JSONValue) throws(NoticeFormatError) {
        guard case .object = json else { throw NoticeFormatError("the payload is not a JSON object") }
        func string(_ key: String) throws(NoticeFormatError) -> String {
            guard case let .string(value) = json[key] else { throw NoticeFormatError("\(key) is not a string") }
            return value
        }
        func optional(_ key: String) throws(NoticeFormatError) -> String? {
            if json[key] == .null { return nil }
            return try string(key)
        }
        func strings(_ key: String) throws(NoticeFormatError) -> [String] {
            guard case let .array(items) = json[key] else { throw NoticeFormatError("\(key) is not a list") }
            return try items.map { item throws(NoticeFormatError) in
                guard case let .string(value) = item else { throw NoticeFormatError("\(key) holds a non-string") }
                return value
            }
        }
        // In the payload's order, so that the error names the first key that is wrong.
        let noticeID = try string("notice_id"), event = try string("event"), step = try optional("step")
        guard let priority = Priority(rawValue: try string("priority")) else { throw NoticeFormatError("priority is unknown") }
        let consultation = try string("consultation"), title = try string("title"), lead = try string("lead")
        let agency = try optional("agency")
        var deadline: LocalDate?
        if let text = try optional("deadline") {
            guard let date = LocalDate(iso: text) else { throw NoticeFormatError("deadline is not a date") }
            deadline = date
        }
        guard case let .number(days) = json["days_late"], let daysLate = Int(days) else {
            throw NoticeFormatError("days_late is not a whole number")
        }
        guard case let .bool(lateDetected) = json["late_detected"] else { throw NoticeFormatError("late_detected is not a boolean") }
        self.init(noticeID: noticeID, event: event, step: step, priority: priority, consultation: consultation, title: title,
                  lead: lead, agency: agency, deadline: deadline, daysLate: daysLate, lateDetected: lateDetected,
                  reasons: try strings("reasons"), to: try strings("to"), cc: try strings("cc"), subject: try string("subject"),
                  body: try string("body"), created: try string("created"))
    }

    public init(noticeID: String, event: String, step: String?, priority: Priority, consultation: String, title: String,
                lead: String, agency: String?, deadline: LocalDate?, daysLate: Int, lateDetected: Bool, reasons: [String],
                to: [String], cc: [String], subject: String, body: String, created: String) {
        self.noticeID = noticeID
        self.event = event
        self.step = step
        self.priority = priority
        self.consultation = consultation
        self.title = title
        self.lead = lead
        self.agency = agency
        self.deadline = deadline
        self.daysLate = daysLate
        self.lateDetected = lateDetected
        self.reasons = reasons
        self.to = to
        self.cc = cc
        self.subject = subject
        self.body = body
        self.created = created
    }
}

/// Why a stored notice payload could not be read back.
public struct NoticeFormatError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
