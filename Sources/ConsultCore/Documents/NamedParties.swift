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
    /// object it holds, each kept only if it is a valid identifier (nothing else reaches the
    /// journal's fields). Empty when the bytes are no JSON object.
    public static func salvage(_ bytes: [UInt8]) -> NamedParties {
        guard let value = try? JSONReader.parse(bytes), case .object = value else { return NamedParties() }
        func identifier(_ key: String) -> String? {
            guard case let .string(s)? = value[key], Identifier.isValid(s) else { return nil }
            return s
        }
        let isRequest = value["kind"] == .string(Document.Kind.request.rawValue)
        return NamedParties(consultation: identifier(isRequest ? "id" : "request"), lead: identifier("lead"),
                            agency: isRequest ? nil : identifier("agency"))
    }

    /// The journal fields of those known: `CONSULT_ID`, `CONSULT_LEAD`, `CONSULT_AGENCY`.
    public var journalFields: [(String, String)] {
        [("CONSULT_ID", consultation), ("CONSULT_LEAD", lead), ("CONSULT_AGENCY", agency)].compactMap { key, value in
            value.map { (key, $0) }
        }
    }
}
