extension Document {
    /// What makes two documents "identical content" (contract §3): the parsed values, whatever
    /// the key order, whitespace, number spelling or an instant's offset, with `consulted` and
    /// `agencies` compared as sets; fields the parser ignores are no part of it. A SHA-256 in hex,
    /// so that a store can keep it beside the file's own hash.
    public var canonicalKey: String {
        canonicalBytes.withUnsafeBytes { SHA256.hex($0) }
    }

    /// ``canonicalValue`` serialised compactly, as `JSONWriter.bytes(canonicalValue, pretty: false)`
    /// gives it byte for byte (keys stored since schema v8 depend on it), but written straight
    /// into one buffer: intake computes it for every document, and building the value first
    /// cost more than hashing it.
    var canonicalBytes: [UInt8] {
        var w = CanonicalWriter()
        switch self {
        case let .request(r):
            w.member("kind"); w.string("request")
            w.member("id"); w.string(r.id)
            w.member("title"); w.string(r.title)
            w.member("lead"); w.string(r.lead)
            w.member("consulted"); w.set(r.consulted)
            w.member("sent"); w.number(r.sent.seconds)
            w.member("urgency"); w.string(r.urgency.rawValue)
            w.member("reply_days"); w.number(r.replyDays.map(Int64.init))
            w.member("deadline"); w.string(r.deadline?.description)
            w.member("reference"); w.string(r.reference)
        case let .reply(r):
            w.member("kind"); w.string("reply")
            w.member("request"); w.string(r.request)
            w.member("agency"); w.string(r.agency)
            w.member("received"); w.number(r.received.seconds)
            w.member("position"); w.string(r.position?.rawValue)
            w.member("comments"); w.strings(r.comments)
            w.member("text"); w.string(r.text)
            w.member("refer_to"); w.string(r.referTo)
            w.member("reference"); w.string(r.reference)
        case let .extension(e):
            w.member("kind"); w.string("extension")
            w.member("request"); w.string(e.request)
            w.member("deadline"); w.string(e.deadline.description)
            w.member("agencies"); w.set(e.agencies)
            w.member("reason"); w.string(e.reason)
        case let .withdrawal(wd):
            w.member("kind"); w.string("withdrawal")
            w.member("request"); w.string(wd.request)
            w.member("agencies"); w.set(wd.agencies)
            w.member("reason"); w.string(wd.reason)
        case let .resolution(r):
            w.member("kind"); w.string("resolution")
            w.member("request"); w.string(r.request)
            w.member("agency"); w.string(r.agency)
            w.member("outcome"); w.string(r.outcome)
            w.member("received"); w.number(r.received.seconds)
        }
        return w.finished()
    }

    /// The parsed values in a fixed order (sets sorted): equal exactly when the content is. The
    /// definition ``canonicalBytes`` writes out (the tests hold them to each other).
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

/// A compact JSON object written member by member, as ``JSONWriter`` writes one (no spaces).
private struct CanonicalWriter {
    private var out: [UInt8] = [UInt8(ascii: "{")]

    init() { out.reserveCapacity(512) }

    /// A member's name (plain ASCII, nothing to escape) and its colon.
    mutating func member(_ key: StaticString) {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func string(_ s: String?) {
        if let s { JSONWriter.quote(s, into: &out) } else { null() }
    }

    mutating func number(_ n: Int64?) {
        if let n { out.append(contentsOf: String(n).utf8) } else { null() }
    }

    mutating func null() { out.append(contentsOf: "null".utf8) }

    mutating func strings(_ items: [String]) {
        if items.isEmpty {
            out.append(contentsOf: "[]".utf8)
            return
        }
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.quote(item, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Codes compared as a set: sorted, each once (as `Array(Set(codes)).sorted()`).
    mutating func set(_ codes: [String]?) {
        guard let codes else { return null() }
        var sorted = codes.sorted()
        var i = 1
        while i < sorted.count {
            if sorted[i] == sorted[i - 1] { sorted.remove(at: i) } else { i += 1 }
        }
        strings(sorted)
    }

    mutating func finished() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }
}
