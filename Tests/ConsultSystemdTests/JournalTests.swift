import ConsultCore
import Foundation
import Testing
@testable import ConsultSystemd

@Suite("Journal fields")
struct JournalTests {
    @Test func fieldNamesAreValidForJournald() {
        #expect(Journal.fieldName("CONSULT_ID") == "CONSULT_ID")
        #expect(Journal.fieldName("consult-days.late") == "CONSULT_DAYS_LATE")
        #expect(Journal.fieldName("_hidden") == "HIDDEN")
        #expect(Journal.fieldName("1abc") == "F1ABC")
        #expect(Journal.fieldName("Sở") == "S_")
    }

    @Test func everyEventHasAMessageIDExplainedInTheCatalog() throws {
        let catalog = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../systemd/consultd.catalog").path, encoding: .utf8)
        let ids = Event.allCases.map(\.messageID) + [MessageID.customStep]
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            #expect(catalog.contains("-- \(id)\n"), "\(id)")
        }
        // Nothing in the catalog that no event uses.
        let listed = catalog.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        #expect(Set(listed) == Set(ids))
        #expect(MessageID.of(notice: "overdue") == Event.overdue.messageID)
        #expect(MessageID.of(notice: "a-city-step") == MessageID.customStep)
    }

    /// Without journald, an entry is one line on standard error that a file's name cannot forge:
    /// no second line, no escape sequence, no field that is not ours.
    @Test func theStandardErrorLineCannotBeForged() {
        let name = "x.json\r\nconsultd[1]: <emerg> forged\u{1B}[2J\u{202E}nosj.exe\u{85}"
        let line = Journal.line(identifier: "consultd", pid: 42, message: "Refused \(name) (malformed_json): bad.",
                                priority: .err,
                                fields: [("CONSULT_FILE", name), ("CONSULT_REASONS", "malformed_json"),
                                         ("CONSULT_ID", "a\" CONSULT_EVENT=\"x"), ("CONSULT_AGENCY", "back\\slash]"),
                                         ("MESSAGE_ID", "d3fe5af32c0d440694270dd2bf139239"), ("CODE_LINE", "7")])
        #expect(line.hasPrefix("consultd[42]: <err> Refused x.json?consultd[1]: <emerg> forged?[2J?nosj.exe? (malformed_json): bad. ["))
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(!line.unicodeScalars.contains { $0.value != 0x0A && Printable.isControl($0) })
        #expect(line.contains(#"CONSULT_FILE="x.json?consultd[1]: <emerg> forged?[2J?nosj.exe?""#))
        #expect(line.contains(" CONSULT_REASONS=malformed_json "))
        #expect(line.contains(#"CONSULT_ID="a\" CONSULT_EVENT=\"x""#))
        #expect(line.contains(#"CONSULT_AGENCY="back\\slash]""#))
        #expect(!line.contains("MESSAGE_ID") && !line.contains("CODE_LINE"))
    }

    @Test func plainValuesStayBareOthersAreQuoted() {
        #expect(Journal.quoted("bad.json") == "bad.json")
        #expect(Journal.quoted("Sở") == "Sở")
        #expect(Journal.quoted("Sở Tài chính") == "\"Sở Tài chính\"")
        #expect(Journal.quoted("a=b") == "\"a=b\"")
        #expect(Journal.quoted("tab\there") == "\"tab?here\"")
    }
}
