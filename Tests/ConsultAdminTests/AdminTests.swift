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

    /// OWASP's rule against CSV injection: a cell a spreadsheet would read as a formula starts
    /// with an apostrophe; plain numbers stay numbers.
    @Test func csvCellsThatWouldBeFormulasBecomeText() {
        #expect(CSV.field("=HYPERLINK(\"http://evil\",\"x\")") == "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")
        #expect(CSV.field("+1+cmd|' /C calc'!A0") == "'+1+cmd|' /C calc'!A0")
        #expect(CSV.field("-2+3") == "'-2+3")
        #expect(CSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.field("\t=1") == "'?=1")
        #expect(CSV.field("\r=1") == "'?=1")
        #expect(CSV.field("-3") == "-3")
        #expect(CSV.field("0.75") == "0.75")
        #expect(CSV.field("-1.5") == "-1.5")
        #expect(CSV.field("-") == "'-")
        #expect(CSV.field("--3") == "'--3")
        #expect(CSV.field("a=b") == "a=b")
        #expect(CSV.field("") == "")
    }

    @Test func csvShowsControlCharactersAsQuestionMarksButKeepsLineFeeds() {
        #expect(CSV.field("evil\u{1B}[2J\u{202E}txt\u{7F}\u{85}") == "evil?[2J?txt??")
        #expect(CSV.field("two\r\nlines") == "\"two\nlines\"")
        #expect(CSV.field("isolate\u{2066}x\u{2069}") == "isolate?x?")
    }

    @Test func everyControlIsShownAsAQuestionMark() {
        for scalar in [0x00, 0x07, 0x08, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x80, 0x85, 0x9B, 0x9F, 0x061C, 0x200E, 0x200F,
                       0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2028, 0x2029, 0x2066, 0x2067, 0x2068, 0x2069] {
            let text = "a" + String(Character(Unicode.Scalar(UInt32(scalar))!)) + "b"
            #expect(TextTable.sanitize(text) == "a?b", "U+\(String(scalar, radix: 16))")
        }
        // Letters, marks and the zero-width space that Vietnamese text may hold are printable.
        #expect(TextTable.sanitize("Sở Tài chính\u{200B} 漢字") == "Sở Tài chính\u{200B} 漢字")
        #expect(Printable.text("a\nb", keepingNewlines: true) == "a\nb")
        #expect(Printable.text("a\r\nb", keepingNewlines: true) == "a\nb")
        #expect(Printable.text("a\rb", keepingNewlines: true) == "a?b")
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

@Suite("Scorecard report: undefined rates")
struct UndefinedRateTests {
    /// SYT was consulted once and never replied; SNN had nothing due (no denominator at all).
    let report = ScorecardReport(
        from: LocalDate(iso: "2025-03-01"), to: LocalDate(iso: "2025-03-31"),
        scores: {
            var silent = AgencyScore(agency: "SYT")
            (silent.consulted, silent.unanswered) = (1, 1)
            return [AgencyScore(agency: "SNN"), silent]
        }(),
        names: ["SYT": "Sở Y tế", "SNN": "Sở Nông nghiệp"])

    @Test func jsonSaysNull() {
        guard case let .array(agencies) = report.json["agencies"] else { Issue.record("no agencies"); return }
        #expect(agencies[0]["on_time_rate"] == .null)
        #expect(agencies[1]["on_time_rate"] == .number("0"))
        #expect(agencies[1]["clarity_rate"] == .null)
        #expect(agencies[1]["mean_days_late"] == .null)
        #expect(JSONWriter.string(report.json).contains("\"clarity_rate\":null"))
    }

    @Test func csvLeavesTheFieldEmpty() {
        let csv = CSV.render(header: ScorecardReport.header, rows: report.rows)
        let lines = csv.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "SNN,Sở Nông nghiệp,0,0,0,0,0,0,,,")
        #expect(lines[2] == "SYT,Sở Y tế,1,0,0,1,0,0,0,,")
    }

    @Test func tableAndPageShowADash() {
        let row = report.table.split(separator: "\n").first { $0.hasPrefix("SYT") }.map(String.init) ?? ""
        #expect(row.hasSuffix("0%       —        —"), "\(row)")
        #expect(!row.contains("0.0"))
        let html = report.html
        #expect(html.contains("<td>0%</td><td>—</td><td>—</td></tr>"))
        #expect(html.contains("<td>—</td><td>—</td><td>—</td></tr>"))
        #expect(!html.contains("<tr class=\"weak\"><td class=\"l\"><b>SNN"), "no rate is not a weak rate")
    }
}
