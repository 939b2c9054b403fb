/// Why a document was refused: a stable machine token and a human sentence.
///
/// The tokens are part of the external contract (`NAME.error.json`); never rename one.
public struct Refusal: Error, Sendable, Equatable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let malformedJSON = Code(rawValue: "malformed_json")
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        public static let unknownKind = Code(rawValue: "unknown_kind")
        public static let unknownAgency = Code(rawValue: "unknown_agency")
        public static let unknownRequest = Code(rawValue: "unknown_request")
        public static let notConsulted = Code(rawValue: "not_consulted")
        public static let duplicateConflict = Code(rawValue: "duplicate_conflict")
        public static let unauthorized = Code(rawValue: "unauthorized")
        public static let tooLarge = Code(rawValue: "too_large")
        public static let notRegularFile = Code(rawValue: "not_regular_file")
        public static let invalidField = Code(rawValue: "invalid_field")
        /// The file was being written while the daemon read it (not handed off by rename).
        public static let changedWhileRead = Code(rawValue: "changed_while_read")
        /// The document names a consultation or duty in a state that cannot take it
        /// (a resolution without a disagreement, an extension of a withdrawn consultation).
        public static let notApplicable = Code(rawValue: "not_applicable")
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}

/// Every reason a document is refused, in the order they were found; never empty.
public struct Refusals: Error, Sendable, Equatable {
    public let all: [Refusal]

    public init(_ all: [Refusal]) {
        precondition(!all.isEmpty, "a refusal needs a reason")
        self.all = all
    }

    public init(_ refusal: Refusal) { all = [refusal] }

    /// One refusal for the daemon's sidecar and journal: the first reason's code (when the parser
    /// finds several reasons, all are `invalid_field`) and every reason, joined by `; `.
    public var combined: Refusal {
        Refusal(all[0].code, all.map(\.reason).joined(separator: "; "))
    }
}
