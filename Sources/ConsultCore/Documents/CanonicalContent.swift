extension Document {
    /// What makes two documents "identical content" (contract §3): the parsed values, whatever
    /// the key order, whitespace, number spelling or an instant's offset, with `consulted` and
    /// `agencies` compared as sets; fields the parser ignores are no part of it. A SHA-256 in hex,
    /// so that a store can keep it beside the file's own hash.
    public var canonicalKey: String {
        SHA256.hex(JSONWriter.bytes(canonicalValue, pretty: false))
    }

    /// The parsed values in a fixed order (sets sorted): equal exactly when the content is.
    var canonicalValue: JSONValue {
        func set(_ codes: [String]?) -> JSONValue { codes.map { .strings(Array(Set($0)).sorted()) } ?? .null }
        func instant(_ i: Instant) -> JSONValue { .number(String(i.seconds)) }
        func int(_ n: Int?) -> JSONValue { n.map(JSONValue.int) ?? .null }
        switch self {
        case let .request(r):
            return .object([("kind", .string("request")), ("id", .string(r.id)), ("title", .string(r.title)),
                            ("lead", .string(r.lead)), ("consulted", set(r.consulted)), ("sent", instant(r.sent)),
                            ("urgency", .string(r.urgency.rawValue)), ("reply_days", int(r.replyDays)),
                            ("deadline", .optional(r.deadline?.description)), ("reference", .optional(r.reference))])
        case let .reply(r):
            return .object([("kind", .string("reply")), ("request", .string(r.request)), ("agency", .string(r.agency)),
                            ("received", instant(r.received)), ("position", .optional(r.position?.rawValue)),
                            ("comments", .strings(r.comments)), ("text", .optional(r.text)),
                            ("refer_to", .optional(r.referTo)), ("reference", .optional(r.reference))])
        case let .extension(e):
            return .object([("kind", .string("extension")), ("request", .string(e.request)),
                            ("deadline", .string(e.deadline.description)), ("agencies", set(e.agencies)),
                            ("reason", .string(e.reason))])
        case let .withdrawal(w):
            return .object([("kind", .string("withdrawal")), ("request", .string(w.request)),
                            ("agencies", set(w.agencies)), ("reason", .string(w.reason))])
        case let .resolution(r):
            return .object([("kind", .string("resolution")), ("request", .string(r.request)), ("agency", .string(r.agency)),
                            ("outcome", .string(r.outcome)), ("received", instant(r.received))])
        }
    }
}
