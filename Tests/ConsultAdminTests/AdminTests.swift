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

    @Test func longCellsAreClippedOnlyToFitATerminal() {
        let long = String(repeating: "ộ", count: 100)
        let cut = TextTable.render(header: ["T"], rows: [[long]], style: TableStyle(width: 10, colour: false))
        #expect(TextTable.displayWidth(String(cut.split(separator: "\n")[1])) == 10)
        #expect(cut.split(separator: "\n")[1].hasSuffix("…"))
        // Piped (no width): nothing cut, however long.
        #expect(TextTable.render(header: ["T"], rows: [[long]]).contains(long))
    }

    /// The widest text columns are cut first, to a common width, until the table fits; short
    /// columns and numbers keep theirs.
    @Test func theWidestColumnsGiveWayFirst() {
        let rows = [["HN-1", String(repeating: "Đề án ", count: 20), "SXD", "12", String(repeating: "STC:open ", count: 10)]]
        let table = TextTable.render(header: ["ID", "TITLE", "LEAD", "N", "DUTIES"], rows: rows, alignments: [.left, .left, .left, .right],
                                     style: TableStyle(width: 80, colour: false))
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { TextTable.displayWidth($0) <= 80 }, "\(table)")
        #expect(lines[1].hasPrefix("HN-1  Đề án"))
        #expect(lines[1].contains("  SXD   12  STC:open"), "\(table)")
        // TITLE and DUTIES end cut; both got about the same room.
        let cells = lines[1].components(separatedBy: "  ").filter { !$0.isEmpty }
        #expect(cells[1].hasSuffix("…") && cells.last!.hasSuffix("…"), "\(cells)")
        // A terminal too narrow for the floors: the table keeps them and overflows.
        let narrow = TextTable.render(header: ["ID", "TITLE"], rows: rows.map { Array($0.prefix(2)) }, style: TableStyle(width: 5, colour: false))
        #expect(narrow.split(separator: "\n")[1] == "HN-1  Đề án Đ…")
    }

    @Test func numbersAreRightAligned() {
        let table = TextTable.render(header: ["AGENCY", "CONSULTED"], rows: [["STC", "7"], ["SYT", "1234"]], alignments: [.left, .right])
        #expect(table == "AGENCY  CONSULTED\nSTC             7\nSYT          1234\n")
    }

    /// Colour only where asked, whole rows, after the cells were made printable; the header underlined.
    @Test func highlightedRowsAreColouredWithoutLettingCellsColourThemselves() {
        let rows = [["A", "evil\u{1B}[32mgreen"], ["B", "fine"], ["C", "x"]]
        let coloured = TextTable.render(header: ["ID", "T"], rows: rows, highlights: [.escalated, nil, .unclear],
                                        style: TableStyle(width: nil, colour: true))
        let lines = coloured.split(separator: "\n").map(String.init)
        #expect(lines[0] == "\u{1B}[4mID  T\u{1B}[0m")
        #expect(lines[1] == "\u{1B}[1;31mA   evil?[32mgreen\u{1B}[0m")
        #expect(lines[2] == "B   fine")
        #expect(lines[3] == "\u{1B}[33mC   x\u{1B}[0m")
        #expect(!TextTable.render(header: ["ID", "T"], rows: rows, highlights: [.escalated, nil, .unclear]).contains("\u{1B}"))
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

    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    func page(_ locale: NoticeLocale) -> String {
        var r = report
        r.office = "Văn phòng UBND thành phố"
        r.locale = locale
        r.generated = (Instant(rfc3339: "2025-04-01T02:30:00Z")!, Self.clock)
        r.overdue = [
            OverdueDuty(consultation: "HN-1", title: "Đề án <nhà ở>", lead: "SXD", agency: "STC", due: LocalDate(iso: "2025-03-10")!,
                        status: .open, daysLate: 12, lastNotice: "escalation-2", escalated: true),
            OverdueDuty(consultation: "HN-2", title: "Kế hoạch", lead: "SXD", agency: "STC", due: LocalDate(iso: "2025-03-12")!,
                        status: .discharged, daysLate: 2, lastNotice: "overdue", escalated: false),
        ]
        return r.html
    }

    /// The page for the monthly review: who issues it, the period and when it was made, in the
    /// site's language and number format.
    @Test func thePageSaysWhoIssuedItForWhenAndWhen() {
        let vi = page(.vi)
        #expect(vi.contains("<html lang=\"vi\">"))
        #expect(vi.contains("Đơn vị lập: Văn phòng UBND thành phố"))
        #expect(vi.contains("hạn trả lời từ 01/03/2025 đến 31/03/2025"))
        #expect(vi.contains("Lập lúc 09:30 ngày 01/04/2025 (UTC+07:00)"))
        let en = page(.en)
        #expect(en.contains("<html lang=\"en\">"))
        #expect(en.contains("Issued by: Văn phòng UBND thành phố"))
        #expect(en.contains("reply deadlines from 1 Mar 2025 to 31 Mar 2025"))
        #expect(en.contains("Generated on 1 Apr 2025 at 09:30 (UTC+07:00)"))
    }

    /// Totals add every agency up, rates over the sums; the mean in the locale's decimals.
    @Test func totalsAndNumbersInTheLocalesFormat() {
        // STC: 3 consulted, 1 on time, 1 late (2 days), 1 unanswered; STP: 1 on time.
        #expect(report.total.consulted == 4 && report.total.onTime == 2 && report.total.late == 1)
        #expect(page(.vi).contains("<tbody class=\"total\"><tr><td class=\"l\">Tổng cộng</td><td>4</td><td>2</td><td>1</td><td>1</td><td>0</td><td>0</td><td>50%</td><td>67%</td><td>2,0</td></tr>"))
        #expect(page(.en).contains("<td class=\"l\">Total</td><td>4</td><td>2</td><td>1</td><td>1</td><td>0</td><td>0</td><td>50%</td><td>67%</td><td>2.0</td>"))
        #expect(ScorecardPage(report: report).count(1_234_567) == "1.234.567")
        var en = report
        en.locale = .en
        #expect(ScorecardPage(report: en).count(1_234) == "1,234")
        guard case let .object(totals)? = report.json["totals"] else { Issue.record("no totals"); return }
        #expect(totals.first { $0.0 == "on_time_rate" }?.1 == .number("0.5"))
    }

    /// The highlighting and every column explained; the page prints on A4 portrait; the chart
    /// scales with the page.
    @Test func legendDefinitionsPrintRulesAndAScalingChart() {
        let html = page(.vi)
        #expect(html.contains("<tr class=\"weak\"><td class=\"l\"><b>STC</b>"))
        #expect(html.contains("Dòng tô màu: tỉ lệ trả lời đúng hạn dưới 50%."))
        for column in ["Được lấy ý kiến", "Đúng hạn", "Muộn", "Chưa trả lời", "Chưa rõ ràng", "Né tránh", "Tỉ lệ đúng hạn", "Tỉ lệ rõ ràng",
                       "Số ngày muộn TB"] {
            #expect(html.contains("<dt>\(column)</dt><dd>"), "\(column)")
        }
        #expect(html.contains("@page{size:A4 portrait;"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "))
        #expect(html.contains("width=\"100%\""))
        #expect(!html.contains("<script"))
    }

    @Test func theOverdueAndEscalatedDutiesAreListed() {
        let html = page(.vi)
        #expect(html.contains("<tr class=\"escalated\"><td class=\"l id\">HN-1</td><td class=\"l\">Đề án &lt;nhà ở&gt;</td>"))
        #expect(html.contains("chưa có văn bản trả lời rõ ràng, quá hạn 12 ngày làm việc"))
        #expect(html.contains("báo cáo lãnh đạo thành phố ▲"))
        #expect(html.contains("<tr><td class=\"l id\">HN-2</td>"))
        #expect(html.contains("trả lời muộn 2 ngày làm việc"))
        #expect(page(.en).contains("no clear reply, 12 working days overdue"))
        #expect(report.html.contains("Không có lượt nào quá hạn trong kỳ."))
        // A page lists a thousand at most, and says how many it leaves out.
        var many = report
        many.overdue = Array(repeating: many.overdue.first ?? OverdueDuty(consultation: "X", title: "", lead: "SXD", agency: "STC",
                                                                          due: LocalDate(iso: "2025-03-10")!, status: .open, daysLate: 1,
                                                                          lastNotice: nil, escalated: false), count: 3)
        many.overdueTotal = 1_234_567
        #expect(many.html.contains("Còn 1.234.564 lượt nữa không liệt kê ở đây (tổng cộng 1.234.567)"))
    }

    /// The label column is as wide as the longest name needs, in the widest font the page names.
    @Test func chartLabelsFitTheLongestName() {
        let long = "Ban Quản lý các khu công nghiệp và chế xuất thành phố Hà Nội"
        let narrow = ChartLayout(labels: [["STC", "Sở Tài chính"]])
        let page = ScorecardPage(report: ScorecardReport(from: nil, to: nil, scores: [AgencyScore(agency: "BQLKCN")], names: ["BQLKCN": long]))
        let lines = page.wrapped(long)
        #expect(lines.count == 3 && lines.allSatisfy { $0.count <= 30 }, "\(lines)")
        let wide = ChartLayout(labels: [["BQLKCN"] + lines])
        #expect(wide.labelWidth > narrow.labelWidth)
        #expect(Double(wide.labelWidth) >= ChartLayout.estimatedWidth(lines[0], fontSize: ChartLayout.fontSize, bold: false))
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
        let row = report.table().split(separator: "\n").first { $0.hasPrefix("SYT") }.map(String.init) ?? ""
        #expect(row.hasSuffix("0%        —               —"), "\(row)")
        #expect(!row.contains("0.0"))
        let html = report.html
        #expect(html.contains("<td>0%</td><td>—</td><td>—</td></tr>"))
        #expect(html.contains("<td>—</td><td>—</td><td>—</td></tr>"))
        #expect(!html.contains("<tr class=\"weak\"><td class=\"l\"><b>SNN"), "no rate is not a weak rate")
    }
}
