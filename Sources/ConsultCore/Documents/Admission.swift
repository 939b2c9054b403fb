/// The agency a document speaks for: under `authorization = "owner"` its file's owner must be one
/// of that agency's submitters (contract §9).
public enum Speaker: Sendable, Equatable {
    /// Named by the document: a request's lead, a reply's agency.
    case agency(String)
    /// The lead of the consultation the document is about (extension, withdrawal, resolution),
    /// which only the state store knows. It is none of `consulted`, the agencies the document
    /// names: those must be consulted, and the lead never is.
    case lead(consulted: [String])
}

extension Document {
    /// The agency the document speaks for.
    public var speaker: Speaker {
        switch self {
        case let .request(r): .agency(r.lead)
        case let .reply(r): .agency(r.agency)
        case let .extension(e): .lead(consulted: e.agencies ?? [])
        case let .withdrawal(w): .lead(consulted: w.agencies ?? [])
        case let .resolution(r): .lead(consulted: [r.agency])
        }
    }

    /// Every agency code the document names, with the field that names it, in field order.
    public var namedAgencies: [(field: String, code: String)] {
        switch self {
        case let .request(r): [("lead", r.lead)] + r.consulted.map { ("consulted", $0) }
        case let .reply(r): [("agency", r.agency)]
        case let .extension(e): (e.agencies ?? []).map { ("agencies", $0) }
        case let .withdrawal(w): (w.agencies ?? []).map { ("agencies", $0) }
        case let .resolution(r): [("agency", r.agency)]
        }
    }
}

extension Refusal {
    /// `unknown_agency`: `code`, named in `field` when given, has no `[agencies.CODE]` table.
    public static func unknownAgency(_ code: String, field: String? = nil) -> Refusal {
        let named = field.map { "field \"\($0)\": " } ?? ""
        return Refusal(.unknownAgency, named + "agency \(code) is not declared in the configuration ([agencies.\(code)])")
    }

    /// `unauthorized`: `account` is none of `agency`'s submitters.
    public static func unauthorized(account: String, agency: String) -> Refusal {
        Refusal(.unauthorized, "account \(account) may not submit documents for \(agency)")
    }
}

/// The rules that decide whether a document may be applied, as far as the configuration and the
/// consultation's request tell: the daemon applies them with the request from its store;
/// `consultctl validate` and `submit`, which cannot read the store, with the configuration alone
/// (and a request handed in beside the document).
public enum Admission {
    /// The undeclared agencies a document names that did not parse whole (another field is bad):
    /// read from its JSON object's agency fields (`lead`, `consulted`, `agency`, `agencies`),
    /// each code that is a valid identifier, so that every bad field is reported at once.
    public static func undeclaredAgencies(in bytes: [UInt8], directory: Directory) -> [Refusal] {
        guard let value = try? JSONReader.parse(bytes), case .object = value else { return [] }
        var problems: [Refusal] = []
        for field in ["lead", "consulted", "agency", "agencies"] {
            let codes: [String] = switch value[field] {
            case let .string(s)?: [s]
            case let .array(items)?: items.compactMap { if case let .string(s) = $0 { s } else { nil } }
            default: []
            }
            for code in codes where Identifier.isValid(code) && directory.agencies[code] == nil {
                problems.append(.unknownAgency(code, field: field))
            }
        }
        return problems
    }

    /// The refusals for the agencies in `codes` that `request` does not consult, in order:
    /// `unknown_agency` for one not declared in `directory`, `not_consulted` for the others.
    public static func notConsulted(_ codes: [String], in request: Request, directory: Directory) -> [Refusal] {
        codes.filter { !request.consulted.contains($0) }.map { code in
            directory.agencies[code] == nil ? .unknownAgency(code)
                : Refusal(.notConsulted, "agency \(code) is not consulted in \(request.id)")
        }
    }

    /// Every refusal the configuration shows in `document`: each agency it names that `directory`
    /// does not declare (the field named), and, given the `request` of the consultation that a
    /// later kind is about, each declared agency it names that the request does not consult.
    ///
    /// Without the request, an agency a later kind names can only be checked to be declared. The
    /// daemon also takes an agency no longer declared that the stored consultation consults.
    public static func problems(_ document: Document, directory: Directory, request: Request? = nil) -> [Refusal] {
        var problems: [Refusal] = []
        var declared: [String] = []
        for (field, code) in document.namedAgencies {
            if directory.agencies[code] == nil {
                problems.append(.unknownAgency(code, field: field))
            } else {
                declared.append(code)
            }
        }
        if let request, document.kind != .request, request.id == document.consultationID {
            problems += notConsulted(declared, in: request, directory: directory)
        }
        return problems
    }

    /// Why an account that may speak for the agencies `speaksFor` (those whose submitters include
    /// it) may not send `document`, or nil. `lead` is the consultation's lead when the caller
    /// knows it. Without it, a document only the lead may send is refused when the account speaks
    /// only for agencies the document names as consulted; otherwise the daemon decides.
    public static func unauthorized(_ document: Document, account: String, speaksFor: Set<String>,
                                    lead: String? = nil) -> Refusal? {
        guard !speaksFor.isEmpty else {
            return Refusal(.unauthorized, "account \(account) may submit documents for no agency")
        }
        switch document.speaker {
        case let .agency(code):
            return speaksFor.contains(code) ? nil : .unauthorized(account: account, agency: code)
        case let .lead(consulted):
            if let lead { return speaksFor.contains(lead) ? nil : .unauthorized(account: account, agency: lead) }
            guard speaksFor.isSubset(of: consulted) else { return nil }
            let agencies = speaksFor.sorted().joined(separator: ", ")
            return Refusal(.unauthorized, "account \(account) may submit documents only for \(agencies), which this \(document.kind.rawValue) names as consulted: only the lead's submitters may send it")
        }
    }
}
