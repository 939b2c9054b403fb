/// The consultation and agencies a document names, for the journal's `CONSULT_ID`,
/// `CONSULT_LEAD` and `CONSULT_AGENCY` (contract §7): also for a document refused, as far as it
/// could be read, so that `journalctl CONSULT_AGENCY=STC` finds attempts to speak for STC.
public struct NamedParties: Sendable, Equatable {
    public var consultation: String?
    public var lead: String?
    public var agency: String?

    public init(consultation: String? = nil, lead: String? = nil, agency: String? = nil) {
        self.consultation = consultation
        self.lead = lead
        self.agency = agency
    }

    /// What a parsed document names: a request its id and lead; a reply or a resolution its
    /// consultation and agency; an extension or a withdrawal its consultation (and its agency
    /// when it names exactly one).
    public init(_ document: Document) {
        switch document {
        case let .request(r): self.init(consultation: r.id, lead: r.lead)
        case let .reply(r): self.init(consultation: r.request, agency: r.agency)
        case let .resolution(r): self.init(consultation: r.request, agency: r.agency)
        case let .extension(e): self.init(consultation: e.request, agency: e.agencies?.count == 1 ? e.agencies![0] : nil)
        case let .withdrawal(w): self.init(consultation: w.request, agency: w.agencies?.count == 1 ? w.agencies![0] : nil)
        }
    }

    /// What a document refused by the parser still names: its fields read from whatever JSON
    /// object it holds — or, when it is no JSON at all (a truncated upload, the likeliest), the
    /// first `"key": "value"` of each key found in it — each kept only if it is a valid
    /// identifier (nothing else reaches the journal's fields).
    public static func salvage(_ bytes: [UInt8]) -> NamedParties {
        let read: (String) -> String?
        if let value = try? JSONReader.parse(bytes) {
            guard case .object = value else { return NamedParties() }
            read = { key in if case let .string(s)? = value[key] { s } else { nil } }
        } else {
            read = { key in firstStringMember(key, in: bytes) }
        }
        func identifier(_ key: String) -> String? {
            guard let s = read(key), Identifier.isValid(s) else { return nil }
            return s
        }
        let isRequest = read("kind") == Document.Kind.request.rawValue
        return NamedParties(consultation: identifier(isRequest ? "id" : "request"), lead: identifier("lead"),
                            agency: isRequest ? nil : identifier("agency"))
    }

    /// The value of the first `"key" : "value"` in bytes that are no valid JSON, when it has no
    /// escape (identifiers have none).
    static func firstStringMember(_ key: String, in bytes: [UInt8]) -> String? {
        let quoted = Array("\"\(key)\"".utf8)
        var i = 0
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        while i + quoted.count <= bytes.count {
            guard bytes[i] == quoted[0], bytes[i..<(i + quoted.count)].elementsEqual(quoted) else {
                i += 1
                continue
            }
            i += quoted.count
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { continue }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { continue }
            let start = i + 1
            guard let end = bytes[start...].prefix(65).firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }),
                  bytes[end] == UInt8(ascii: "\"") else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }

    /// The journal fields of those known: `CONSULT_ID`, `CONSULT_LEAD`, `CONSULT_AGENCY`.
    public var journalFields: [(String, String)] {
        [("CONSULT_ID", consultation), ("CONSULT_LEAD", lead), ("CONSULT_AGENCY", agency)].compactMap { key, value in
            value.map { (key, $0) }
        }
    }
}
