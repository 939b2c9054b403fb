import ConsultCore
import Foundation
import Testing
@testable import ConsultAdmin

@Suite("Tables and CSV")
struct TableTests {
    @Test func displayWidthCountsColumnsNotBytes() {
        #expect(TextTable.displayWidth("Sở Tài chính") == 12)
        // The same text decomposed (base letters plus combining marks) is as wide.
        #expect(TextTable.displayWidth("Sở Tài chính".decomposedStringWithCanonicalMapping) == 12)
        #expect(TextTable.displayWidth("漢字") == 4)
        #expect(TextTable.displayWidth("a\u{200B}b") == 2)
    }

    @Test func columnsAlignWithVietnameseText() {
        let table = TextTable.render(header: ["ID", "TITLE", "LEAD"],
                                     rows: [["A-1", "Đề án phát triển nhà ở", "SXD"], ["B-22", "Kế hoạch", "STC"]])
        let lines = table.split(separator: "\n").map(String.init)
        let columns = lines.map { line -> Int in
            let prefix = line.components(separatedBy: "SXD").first == line ? line.components(separatedBy: "STC")[0]
                : line.components(separatedBy: "SXD")[0]
            return TextTable.displayWidth(prefix)
        }
        #expect(columns[1] == columns[2])
        #expect(lines[0].hasPrefix("ID    TITLE"))
    }

    @Test func controlCharactersCannotReachTheTerminal() {
        let table = TextTable.render(header: ["T"], rows: [["evil\u{1B}[2Jtitle\nnext\u{202E}"]])
        #expect(!table.contains("\u{1B}"))
        #expect(!table.contains("\u{202E}"))
        #expect(table.split(separator: "\n").count == 2)
    }

    @Test func longCellsAreClipped() {
        let table = TextTable.render(header: ["T"], rows: [[String(repeating: "ộ", count: 100)]], maxWidth: 10)
        #expect(TextTable.displayWidth(String(table.split(separator: "\n")[1])) == 10)
    }

    @Test func csvFollowsRFC4180() {
        let csv = CSV.render(header: ["a", "b"], rows: [["x,y", "say \"hi\""], ["line\nbreak", "ở"]])
        #expect(csv == "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"line\nbreak\",ở\r\n")
    }
}

@Suite("Scorecard page")
struct ScorecardReportTests {
    let report = ScorecardReport(
        from: LocalDate(iso: "2025-03-01"), to: LocalDate(iso: "2025-03-31"),
        scores: {
            var a = AgencyScore(agency: "STC")
            (a.consulted, a.onTime, a.late, a.unanswered, a.replied, a.firstClear, a.totalDaysLate) = (3, 1, 1, 1, 2, 1, 2)
            var b = AgencyScore(agency: "STP")
            (b.consulted, b.onTime, b.replied, b.firstClear) = (1, 1, 1, 1)
            return [a, b]
        }(),
        names: ["STC": "Sở Tài chính", "STP": "Sở <Tư pháp>"])

    @Test func json() {
        guard case let .array(agencies) = report.json["agencies"] else { Issue.record("no agencies"); return }
        #expect(agencies[0]["on_time_rate"] == .number("0.3333"))
        #expect(agencies[0]["clarity_rate"] == .number("0.5"))
        #expect(agencies[0]["mean_days_late"] == .number("2"))
        #expect(agencies[1]["on_time_rate"] == .number("1"))
        #expect(report.json["from"] == .string("2025-03-01"))
    }

    @Test func htmlIsSelfContained() {
        let html = report.html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!html.contains("https://"))
        #expect(html.contains("Sở &lt;Tư pháp&gt;"))
        #expect(html.contains("33%"))
    }
}
