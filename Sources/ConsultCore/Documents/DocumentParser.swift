/// Turns the bytes of a spool file into a validated ``Document``, or the reasons it is refused.
///
/// Checks here are those that need no state: encoding, JSON syntax, the schema of each kind.
/// Unknown members are ignored; missing or mistyped ones are refused as `invalid_field`. Every
/// field of a kind is checked, so a document with three bad fields gets three reasons.
public enum DocumentParser {
    /// Longest free text accepted in one field, in characters.
    public static let maxTextLength = 100_000

    /// The document `bytes` hold, or one refusal giving every reason (see ``Refusals/combined``).
    public static func parse(_ bytes: [UInt8]) throws(Refusal) -> Document {
        switch check(bytes) {
        case let .success(document): return document
        case let .failure(refusals): throw refusals.combined
        }
    }

    /// The document `bytes` hold, or every reason to refuse it: one per bad field, in the order
    /// the fields are checked. Encoding, JSON syntax and the kind are checked first, each alone:
    /// past one of them there are no fields to read.
    public static func check(_ bytes: [UInt8]) -> Result<Document, Refusals> {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .failure(Refusals(Refusal(.invalidUTF8, "the file is not valid UTF-8 text")))
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(bytes)
        } catch {
            return .failure(Refusals(Refusal(.malformedJSON, "malformed JSON at \(error.description)")))
        }
        guard case .object = json else {
            return .failure(Refusals(Refusal(.invalidField, "the document must be a JSON object, not \(json.typeName)")))
        }
        var fields = Fields(json)
        let kindText: String
        do {
            kindText = try fields.string("kind")
        } catch {
            return .failure(Refusals(error))
        }
        guard let kind = Document.Kind(rawValue: kindText) else {
            return .failure(Refusals(Refusal(.unknownKind, "unknown document kind \"\(kindText.prefix(64))\"; expected one of request, reply, extension, withdrawal, resolution")))
        }
        let document: Document? = switch kind {
        case .request: request(&fields).map(Document.request)
        case .reply: reply(&fields).map(Document.reply)
        case .extension: extensionDocument(&fields).map(Document.extension)
        case .withdrawal: withdrawal(&fields).map(Document.withdrawal)
        case .resolution: resolution(&fields).map(Document.resolution)
        }
        guard let document, fields.problems.isEmpty else { return .failure(Refusals(fields.problems)) }
        return .success(document)
    }

    // Each kind reads every field, even after a bad one, and builds the document only when none
    // was bad; the fields go in the contract's order, which is the order of the reasons.

    static func request(_ f: inout Fields) -> Request? {
        let id = f.take { f throws(Refusal) in try f.identifier("id") }
        let title = f.take { f throws(Refusal) in try f.text("title") }
        let lead = f.take { f throws(Refusal) in try f.identifier("lead") }
        let consulted = f.take { f throws(Refusal) in try f.identifierList("consulted") ?? [] }
        if let lead, let consulted, consulted.contains(lead) {
            f.problems.append(Refusal(.invalidField, "field \"consulted\" must not include the lead agency \(lead)"))
        }
        let sent = f.take { f throws(Refusal) in try f.instant("sent") }
        let urgency = f.take { f throws(Refusal) -> Urgency in
            let text = try f.optionalString("urgency") ?? Urgency.normal.rawValue
            guard let urgency = Urgency(rawValue: text) else {
                throw Refusal(.invalidField, "field \"urgency\" must be normal, urgent or flash, not \"\(text.prefix(32))\"")
            }
            return urgency
        }
        let replyDays = f.take { f throws(Refusal) -> Int? in
            let days = try f.optionalInt("reply_days")
            if let days, !(1...366).contains(days) {
                throw Refusal(.invalidField, "field \"reply_days\" must be between 1 and 366 working days")
            }
            return days
        }
        let deadline = f.take { f throws(Refusal) in try f.optionalDate("deadline") }
        let reference = f.take { f throws(Refusal) in try f.optionalString("reference") }
        guard let id, let title, let lead, let consulted, let sent, let urgency, let replyDays, let deadline, let reference
        else { return nil }
        return Request(id: id, title: title, lead: lead, consulted: consulted, sent: sent, urgency: urgency,
                       replyDays: replyDays, deadline: deadline, reference: reference)
    }

    static func reply(_ f: inout Fields) -> Reply? {
        let request = f.take { f throws(Refusal) in try f.identifier("request") }
        let agency = f.take { f throws(Refusal) in try f.identifier("agency") }
        let received = f.take { f throws(Refusal) in try f.instant("received") }
        let position = f.take { f throws(Refusal) -> Position? in
            guard let text = try f.optionalString("position") else { return nil }
            guard let position = Position(rawValue: text) else {
                throw Refusal(.invalidField, "field \"position\" must be agree, agree_with_comments, disagree or outside_competence, not \"\(text.prefix(32))\"")
            }
            return position
        }
        let comments = f.take { f throws(Refusal) in try f.optionalStringList("comments") ?? [] }
        let text = f.take { f throws(Refusal) in try f.optionalString("text") }
        let referTo = f.take { f throws(Refusal) in try f.optionalString("refer_to") }
        let reference = f.take { f throws(Refusal) in try f.optionalString("reference") }
        guard let request, let agency, let received, let position, let comments, let text, let referTo, let reference
        else { return nil }
        return Reply(request: request, agency: agency, received: received, position: position, comments: comments,
                     text: text, referTo: referTo, reference: reference)
    }

    static func extensionDocument(_ f: inout Fields) -> Extension? {
        let request = f.take { f throws(Refusal) in try f.identifier("request") }
        let deadline = f.take { f throws(Refusal) in try f.date("deadline") }
        let agencies = f.take { f throws(Refusal) in try f.identifierList("agencies", required: false) }
        let reason = f.take { f throws(Refusal) in try f.text("reason") }
        guard let request, let deadline, let agencies, let reason else { return nil }
        return Extension(request: request, deadline: deadline, agencies: agencies, reason: reason)
    }

    static func withdrawal(_ f: inout Fields) -> Withdrawal? {
        let request = f.take { f throws(Refusal) in try f.identifier("request") }
        let agencies = f.take { f throws(Refusal) in try f.identifierList("agencies", required: false) }
        let reason = f.take { f throws(Refusal) in try f.text("reason") }
        guard let request, let agencies, let reason else { return nil }
        return Withdrawal(request: request, agencies: agencies, reason: reason)
    }

    static func resolution(_ f: inout Fields) -> Resolution? {
        let request = f.take { f throws(Refusal) in try f.identifier("request") }
        let agency = f.take { f throws(Refusal) in try f.identifier("agency") }
        let outcome = f.take { f throws(Refusal) in try f.text("outcome") }
        let received = f.take { f throws(Refusal) in try f.instant("received") }
        guard let request, let agency, let outcome, let received else { return nil }
        return Resolution(request: request, agency: agency, outcome: outcome, received: received)
    }
}

/// Typed access to the members of a document object, refusing with the member's name; the
/// problems met by ``take(_:)`` are kept, so that one bad member does not hide the next.
struct Fields {
    let object: JSONValue
    /// Every refusal ``take(_:)`` met, in order.
    var problems: [Refusal] = []

    init(_ object: JSONValue) { self.object = object }

    /// What `read` gives, or nil with its refusal kept in ``problems``.
    mutating func take<T>(_ read: (Fields) throws(Refusal) -> T) -> T? {
        do {
            return try read(self)
        } catch {
            problems.append(error)
            return nil
        }
    }

    private func missing(_ key: String) -> Refusal { Refusal(.invalidField, "required field \"\(key)\" is missing") }
    private func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> Refusal {
        // A number of the wrong sort is named by its value: "not a number" would puzzle.
        if case let .number(n) = got { return Refusal(.invalidField, "field \"\(key)\" must be \(expected), not \(n.prefix(32))") }
        return Refusal(.invalidField, "field \"\(key)\" must be \(expected), not \(got.typeName)")
    }

    func optionalString(_ key: String) throws(Refusal) -> String? {
        guard let v = object[key] else { return nil }
        if case .null = v { return nil }
        guard case let .string(s) = v else { throw wrongType(key, "a string", v) }
        // No more bytes than the limit, no more characters either: counted only past it.
        guard s.utf8.count <= DocumentParser.maxTextLength || s.count <= DocumentParser.maxTextLength else {
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
            throw Refusal(.invalidField, "field \"\(key)\" is not a valid identifier (at most 64 letters, digits, '.', '_' or '-', starting with a letter or digit): \"\(s.prefix(80).debugDescription.dropFirst().dropLast())\"")
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
            guard s.utf8.count <= DocumentParser.maxTextLength || s.count <= DocumentParser.maxTextLength else {
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
