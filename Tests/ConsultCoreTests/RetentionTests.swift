import ConsultCore
import Testing

@Suite("Retention")
struct RetentionTests {
    let march1 = LocalDate(iso: "2025-03-01")!

    @Test func keptForItsDaysAfterItsOwnDay() {
        #expect(!Retention.isExpired(march1, keep: 30, today: LocalDate(iso: "2025-03-31")!))
        #expect(Retention.isExpired(march1, keep: 30, today: LocalDate(iso: "2025-04-01")!))
        #expect(!Retention.isExpired(march1, keep: 0, today: march1))
        #expect(Retention.isExpired(march1, keep: 0, today: LocalDate(iso: "2025-03-02")!))
        #expect(!Retention.isExpired(march1, keep: nil, today: LocalDate(iso: "2099-01-01")!))
    }

    @Test func aNoticeIdNamesItsConsultationEvenWhenTheIdHoldsDots() {
        let open: Set<Substring> = ["HN.2025.SXD-1", "HN"]
        #expect(Retention.consultation(ofNoticeID: "HN.2025.SXD-1.STC.reminder") { open.contains($0) } == "HN.2025.SXD-1")
        #expect(Retention.consultation(ofNoticeID: "HN.SXD.completed") { open.contains($0) } == "HN")
        #expect(Retention.consultation(ofNoticeID: "OTHER.STC.overdue") { open.contains($0) } == nil)
        #expect(Retention.consultation(ofNoticeID: "HN") { open.contains($0) } == nil)
    }
}
