/// An agency code given on the command line (`--agency`, `--lead`), matched against the codes
/// known — the configuration's, and those the state store names: exactly, else by a unique
/// match that ignores case (`stc` for `STC`).
public enum AgencyCodes {
    /// Why a code given matches no agency, or several.
    public struct Mismatch: Error, Sendable, Equatable, CustomStringConvertible {
        public let given: String
        /// The codes it could mean (several), or every code known (none).
        public let candidates: [String]
        public let ambiguous: Bool

        public var description: String {
            ambiguous ? "'\(given)' could be any of \(candidates.joined(separator: ", ")); give the code exactly"
                : candidates.isEmpty ? "'\(given)' is not an agency: no agency is known"
                : "'\(given)' is not an agency; known: \(candidates.joined(separator: ", "))"
        }
    }

    /// The known code `given` names.
    public static func resolve(_ given: String, known: some Collection<String>) -> Result<String, Mismatch> {
        if known.contains(given) { return .success(given) }
        let folded = given.lowercased()
        let matches = Set(known.filter { $0.lowercased() == folded }).sorted()
        switch matches.count {
        case 1: return .success(matches[0])
        case 0: return .failure(Mismatch(given: given, candidates: Set(known).sorted(), ambiguous: false))
        default: return .failure(Mismatch(given: given, candidates: matches, ambiguous: true))
        }
    }
}
