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
}
