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
    /// One readable sentence for the journal's `MESSAGE`.
    public var message: String

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

    /// Reads back an outbox payload written by ``outboxJSON`` plus the journal message.
    public init?(outbox json: JSONValue, message: String) {
        func s(_ k: String) -> String? { if case let .string(v) = json[k] { return v }; return nil }
        func list(_ k: String) -> [String] {
            guard case let .array(items) = json[k] else { return [] }
            return items.compactMap { if case let .string(v) = $0 { return v }; return nil }
        }
        guard let id = s("notice_id"), let event = s("event"), let p = s("priority"), let priority = Priority(rawValue: p),
              let consultation = s("consultation"), let title = s("title"), let lead = s("lead"),
              let subject = s("subject"), let body = s("body"), let created = s("created") else { return nil }
        var days = 0
        if case let .number(n) = json["days_late"] { days = Int(n) ?? 0 }
        self.init(noticeID: id, event: event, step: s("step"), priority: priority, consultation: consultation, title: title,
                  lead: lead, agency: s("agency"), deadline: s("deadline").flatMap(LocalDate.init(iso:)), daysLate: days,
                  lateDetected: json["late_detected"] == .bool(true), reasons: list("reasons"), to: list("to"),
                  cc: list("cc"), subject: subject, body: body, created: created, message: message)
    }

    public init(noticeID: String, event: String, step: String?, priority: Priority, consultation: String, title: String,
                lead: String, agency: String?, deadline: LocalDate?, daysLate: Int, lateDetected: Bool, reasons: [String],
                to: [String], cc: [String], subject: String, body: String, created: String, message: String) {
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
        self.message = message
    }
}
