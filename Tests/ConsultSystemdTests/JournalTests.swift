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
        let events = ["reminder", "overdue", "escalation-1", "escalation-2", "reconcile-overdue", "reconcile-escalation"]
            + [NoticeEvent.vague, NoticeEvent.deflection, NoticeEvent.disagreement, NoticeEvent.lateReply, NoticeEvent.completed,
               NoticeEvent.deemedAgreement, NoticeEvent.rejected, NoticeEvent.unauthorized]
        for event in events {
            let id = try #require(MessageID.byEvent[event], "\(event)")
            #expect(catalog.contains("-- \(id)\n"), "\(event)")
        }
        let ids = Array(MessageID.byEvent.values) + [MessageID.customStep]
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            #expect(catalog.contains("-- \(id)\n"))
        }
    }
}
