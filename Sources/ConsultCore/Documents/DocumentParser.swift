/// Turns the bytes of a spool file into a validated ``Document``, or a ``Refusal``.
///
/// Checks here are those that need no state: encoding, JSON syntax, the schema of each kind.
/// Unknown members are ignored; missing or mistyped ones are refused as `invalid_field`.
public enum DocumentParser {
    /// Longest free text accepted in one field, in characters.
    public static let maxTextLength = 100_000

    public static func parse(_ bytes: [UInt8]) throws(Refusal) -> Document {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Refusal(.invalidUTF8, "the file is not valid UTF-8 text")
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(bytes)
        } catch {
            throw Refusal(.malformedJSON, "malformed JSON at \(error.description)")
        }
        guard case .object = json else {
            throw Refusal(.invalidField, "the document must be a JSON object, not \(json.typeName)")
        }
        var fields = Fields(json)
        let kindText = try fields.string("kind")
        guard let kind = Document.Kind(rawValue: kindText) else {
            throw Refusal(.unknownKind, "unknown document kind \"\(kindText.prefix(64))\"; expected one of request, reply, extension, withdrawal, resolution")
        }
        switch kind {
        case .request: return .request(try request(&fields))
        case .reply: return .reply(try reply(&fields))
        case .extension: return .extension(try extensionDocument(&fields))
        case .withdrawal: return .withdrawal(try withdrawal(&fields))
        case .resolution: return .resolution(try resolution(&fields))
        }
    }

    static func request(_ f: inout Fields) throws(Refusal) -> Request {
        let id = try f.identifier("id")
        let lead = try f.identifier("lead")
        let consulted = try f.identifierList("consulted")!
        guard !consulted.contains(lead) else {
            throw Refusal(.invalidField, "field \"consulted\" must not include the lead agency \(lead)")
        }
        let urgencyText = try f.optionalString("urgency") ?? Urgency.normal.rawValue
        guard let urgency = Urgency(rawValue: urgencyText) else {
            throw Refusal(.invalidField, "field \"urgency\" must be normal, urgent or flash, not \"\(urgencyText.prefix(32))\"")
        }
        let replyDays = try f.optionalInt("reply_days")
        if let replyDays, !(1...366).contains(replyDays) {
            throw Refusal(.invalidField, "field \"reply_days\" must be between 1 and 366 working days")
        }
        let sent = try f.instant("sent")
        let deadline = try f.optionalDate("deadline")
        return Request(id: id, title: try f.text("title"), lead: lead, consulted: consulted, sent: sent,
                       urgency: urgency, replyDays: replyDays, deadline: deadline,
                       reference: try f.optionalString("reference"))
    }

    static func reply(_ f: inout Fields) throws(Refusal) -> Reply {
        let positionText = try f.optionalString("position")
        var position: Position?
        if let positionText {
            guard let p = Position(rawValue: positionText) else {
                throw Refusal(.invalidField, "field \"position\" must be agree, agree_with_comments, disagree or outside_competence, not \"\(positionText.prefix(32))\"")
            }
            position = p
        }
        return Reply(request: try f.identifier("request"), agency: try f.identifier("agency"),
                     received: try f.instant("received"), position: position,
                     comments: try f.optionalStringList("comments") ?? [],
                     text: try f.optionalString("text"), referTo: try f.optionalString("refer_to"),
                     reference: try f.optionalString("reference"))
    }

    static func extensionDocument(_ f: inout Fields) throws(Refusal) -> Extension {
        Extension(request: try f.identifier("request"), deadline: try f.date("deadline"),
                  agencies: try f.identifierList("agencies", required: false), reason: try f.text("reason"))
    }

    static func withdrawal(_ f: inout Fields) throws(Refusal) -> Withdrawal {
        Withdrawal(request: try f.identifier("request"), agencies: try f.identifierList("agencies", required: false),
                   reason: try f.text("reason"))
    }

    static func resolution(_ f: inout Fields) throws(Refusal) -> Resolution {
        Resolution(request: try f.identifier("request"), agency: try f.identifier("agency"),
                   outcome: try f.text("outcome"), received: try f.instant("received"))
    }
}

/// Typed access to the members of a document object, refusing with the member's name.
struct Fields {
    let object: JSONValue

    init(_ object: JSONValue) { self.object = object }

    private func missing(_ key: String) -> Refusal { Refusal(.invalidField, "required field \"\(key)\" is missing") }
    private func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> Refusal {
        Refusal(.invalidField, "field \"\(key)\" must be \(expected), not \(got.typeName)")
    }

    func optionalString(_ key: String) throws(Refusal) -> String? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        guard case let .string(s) = v else { throw wrongType(key, "a string", v) }
        guard s.count <= DocumentParser.maxTextLength else {
            throw Refusal(.invalidField, "field \"\(key)\" is longer than \(DocumentParser.maxTextLength) characters")
        }
        return s
    }

    func string(_ key: String) throws(Refusal) -> String {
        guard let s = try optionalString(key) else { throw missing(key) }
        return s
    }

    /// A required string with visible content.
    func text(_ key: String) throws(Refusal) -> String {
        let s = try string(key)
        guard s.contains(where: { !$0.isWhitespace }) else { throw Refusal(.invalidField, "field \"\(key)\" is empty") }
        return s
    }

    func identifier(_ key: String) throws(Refusal) -> String {
        let s = try string(key)
        guard Identifier.isValid(s) else {
            throw Refusal(.invalidField, "field \"\(key)\" is not a valid identifier (letters, digits, '.', '_', '-'; at most 64; starting with a letter or digit): \"\(s.prefix(80).debugDescription.dropFirst().dropLast())\"")
        }
        return s
    }

    func optionalStringList(_ key: String) throws(Refusal) -> [String]? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        guard case let .array(items) = v else { throw wrongType(key, "an array of strings", v) }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else {
                throw Refusal(.invalidField, "field \"\(key)\" item \(i + 1) must be a string, not \(item.typeName)")
            }
            guard s.count <= DocumentParser.maxTextLength else {
                throw Refusal(.invalidField, "field \"\(key)\" item \(i + 1) is longer than \(DocumentParser.maxTextLength) characters")
            }
            result.append(s)
        }
        return result
    }

    /// A list of agency codes: non-empty, valid, without duplicates.
    func identifierList(_ key: String, required: Bool = true) throws(Refusal) -> [String]? {
        guard let items = try optionalStringList(key) else {
            if required { throw missing(key) }
            return nil
        }
        guard !items.isEmpty else { throw Refusal(.invalidField, "field \"\(key)\" must not be empty") }
        var seen: Set<String> = []
        for code in items {
            guard Identifier.isValid(code) else {
                throw Refusal(.invalidField, "field \"\(key)\" holds an invalid agency code \"\(code.prefix(80))\"")
            }
            guard seen.insert(code).inserted else {
                throw Refusal(.invalidField, "field \"\(key)\" lists \(code) twice")
            }
        }
        return items
    }

    func optionalInt(_ key: String) throws(Refusal) -> Int? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        guard case let .number(n) = v, let i = Int(n) ?? Self.wholeNumber(n) else { throw wrongType(key, "a whole number", v) }
        return i
    }

    /// A whole number however it is spelt (`10.0`, `1e1`, `1.0E+1`): identical content is the
    /// parsed value (contract §3).
    static func wholeNumber(_ spelling: String) -> Int? {
        guard let d = Double(spelling), d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    func instant(_ key: String) throws(Refusal) -> Instant {
        let s = try string(key)
        guard let i = Instant(rfc3339: s) else {
            throw Refusal(.invalidField, "field \"\(key)\" must be an RFC 3339 instant with an offset, like 2025-01-20T09:15:00+07:00")
        }
        return i
    }

    func optionalDate(_ key: String) throws(Refusal) -> LocalDate? {
        guard let s = try optionalString(key) else { return nil }
        guard let d = LocalDate(iso: s) else {
            throw Refusal(.invalidField, "field \"\(key)\" must be a date YYYY-MM-DD")
        }
        return d
    }

    func date(_ key: String) throws(Refusal) -> LocalDate {
        guard let d = try optionalDate(key) else { throw missing(key) }
        return d
    }
}
