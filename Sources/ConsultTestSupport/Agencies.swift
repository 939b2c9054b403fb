import ConsultCore

/// The agencies the tests consult: one list, rendered as configuration text or as a directory.
public struct TestAgency: Sendable {
    public var code: String
    public var name: String
    public var english: String
    public var aliases: [String]
    public var submitters: [String]

    public init(code: String, name: String, english: String, aliases: [String] = [], submitters: [String] = []) {
        self.code = code
        self.name = name
        self.english = english
        self.aliases = aliases
        self.submitters = submitters
    }

    var office: String { "office.\(code.lowercased())@example.vn" }
    var head: String { "head.\(code.lowercased())@example.vn" }

    /// The city departments most tests use: construction leads, the others are consulted.
    public static let city: [TestAgency] = [
        TestAgency(code: "SXD", name: "Sở Xây dựng", english: "Department of Construction"),
        TestAgency(code: "STC", name: "Sở Tài chính", english: "Department of Finance"),
        TestAgency(code: "STP", name: "Sở Tư pháp", english: "Department of Justice"),
        TestAgency(code: "SYT", name: "Sở Y tế", english: "Department of Health"),
    ]

    /// `[leadership]` and one `[agencies.CODE]` table each, named in `locale`'s language (`vi`,
    /// or `en` with the Vietnamese name as an alias when `aliasOther`).
    public static func configuration(_ agencies: [TestAgency] = city, locale: NoticeLocale = .vi, aliasOther: Bool = false) -> String {
        var text = "[leadership]\ncontacts = [\"leaders@example.vn\"]\n"
        for a in agencies {
            let name = locale == .vi ? a.name : a.english
            let aliases = a.aliases + (aliasOther ? [locale == .vi ? a.english : a.name] : [])
            text += """

                [agencies.\(a.code)]
                name = "\(name)"
                aliases = [\(aliases.map { "\"\($0)\"" }.joined(separator: ", "))]
                office = ["\(a.office)"]
                head = ["\(a.head)"]
                submitters = [\(a.submitters.map { "\"\($0)\"" }.joined(separator: ", "))]

                """
        }
        return text
    }
}
