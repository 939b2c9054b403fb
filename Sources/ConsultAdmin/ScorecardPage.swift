import ConsultCore

/// The scorecard as one self-contained HTML page for the monthly review (no network, no script),
/// in the site's language: who issues it, the period and when it was made; the table with a
/// totals row, its highlighting explained; a bar chart of the two rates that scales with the page
/// (an SVG with a viewBox, its labels as wide as the longest agency name needs); what each column
/// means; and the overdue and escalated duties behind the numbers. It prints on A4 portrait
/// (`@page`), the table repeating its header on each page, rows and charts never split.
struct ScorecardPage {
    let report: ScorecardReport
    var words: Words { report.locale == .vi ? .vi : .en }

    var html: String {
        let w = words
        var page = """
            <!DOCTYPE html>
            <html lang="\(report.locale.rawValue)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(w.title)) — \(escape(period))</title>
            <style>
            \(Self.style)
            </style></head><body>
            <header>
            <p class="office">\(escape(w.issuedBy)): \(escape(report.office ?? "—"))</p>
            <h1>\(escape(w.title))</h1>
            <p class="meta">\(escape(w.periodLabel)): \(escape(period))<br>\(escape(generatedLine))</p>
            </header>

            """
        page += table + legend + charts + definitions + overdueList
        return page + "</body></html>\n"
    }

    // MARK: Parts

    var period: String {
        let w = words
        return w.period(report.from.map(date) ?? w.beginning, report.to.map(date) ?? w.today)
    }

    var generatedLine: String {
        guard let (at, clock) = report.generated else { return "" }
        let local = at.seconds + Int64(clock.offset(at: at))
        let minutes = Int(((local % 86_400) + 86_400) % 86_400) / 60
        let time = "\(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
        let offset = clock.offset(at: at)
        let zone = "UTC\(offset < 0 ? "−" : "+")\(abs(offset) / 3600 < 10 ? "0" : "")\(abs(offset) / 3600):"
            + "\(abs(offset) % 3600 / 60 < 10 ? "0" : "")\(abs(offset) % 3600 / 60)"
        return words.generated(date(clock.date(of: at)), time, zone)
    }

    var table: String {
        let w = words
        var out = "<table class=\"scores\"><thead><tr><th class=\"l\">\(escape(w.agency))</th>"
        for title in w.columns { out += "<th>\(escape(title))</th>" }
        out += "</tr></thead><tbody>\n"
        for s in report.scores {
            let weak = ScorecardReport.isWeak(s) ? " class=\"weak\"" : ""
            out += "<tr\(weak)><td class=\"l\"><b>\(escape(s.agency))</b> \(escape(report.names[s.agency] ?? ""))</td>\(cells(s))</tr>\n"
        }
        // The totals close the table once; a tfoot would be repeated at the foot of every printed page.
        out += "</tbody><tbody class=\"total\"><tr><td class=\"l\">\(escape(w.total))</td>\(cells(report.total))</tr></tbody></table>\n"
        return out
    }

    func cells(_ s: AgencyScore) -> String {
        [count(s.consulted), count(s.onTime), count(s.late), count(s.unanswered), count(s.vague), count(s.deflection),
         ScorecardReport.percent(s.onTimeRate), ScorecardReport.percent(s.clarityRate),
         ScorecardReport.mean(s.meanDaysLate, decimalComma: report.locale == .vi)].map { "<td>\($0)</td>" }.joined()
    }

    var legend: String {
        let w = words
        return "<p class=\"legend\"><span class=\"swatch weak\"></span>\(escape(w.weakLegend))"
            + "<span class=\"sep\"></span><b>—</b> \(escape(w.undefinedLegend))</p>\n"
    }

    /// At most this many agencies per chart: a taller one would not fit on a printed page.
    static let agenciesPerChart = 20

    var charts: String {
        let w = words
        let layout = ChartLayout(labels: report.scores.map { [$0.agency] + wrapped(report.names[$0.agency] ?? "") })
        let chunks = stride(from: 0, to: max(report.scores.count, 1), by: Self.agenciesPerChart).map {
            Array(report.scores[$0..<min($0 + Self.agenciesPerChart, report.scores.count)])
        }
        var out = ""
        for (i, chunk) in chunks.enumerated() {
            // The title and legend travel with the first chart, on the same printed page.
            out += "<figure class=\"chart\">"
            if i == 0 {
                out += "<figcaption><h2>\(escape(w.chartTitle))</h2><p class=\"legend\"><span class=\"swatch ontime\"></span>"
                out += "<span>\(escape(w.onTimeRate))</span><span class=\"swatch clarity\"></span><span>\(escape(w.clarityRate))</span></p></figcaption>"
            }
            out += layout.svg(chunk, names: report.names, label: w.chartLabel, wrap: wrapped) + "</figure>\n"
        }
        return out
    }

    var definitions: String {
        let w = words
        var out = "<section class=\"defs\"><h2>\(escape(w.definitionsTitle))</h2><dl>\n"
        for (term, meaning) in zip([w.agency] + w.columns, w.definitions) {
            out += "<dt>\(escape(term))</dt><dd>\(escape(meaning))</dd>\n"
        }
        return out + "</dl></section>\n"
    }

    var overdueList: String {
        let w = words
        let heading = "<h2>\(escape(w.overdueTitle))</h2><p class=\"note\">\(escape(w.overdueNote))</p>"
        guard !report.overdue.isEmpty else { return "<section class=\"overdue\">\(heading)<p>\(escape(w.noneOverdue))</p></section>\n" }
        // The heading is the first row of the table's head: printed with its first rows, never
        // alone at the foot of a page, and again above the rows of each page it runs onto.
        var out = "<table class=\"list\"><thead><tr><th class=\"l heading\" colspan=\"\(w.overdueColumns.count)\">\(heading)</th></tr><tr>"
            + w.overdueColumns.map { "<th class=\"l\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for d in report.overdue {
            let mark = d.escalated ? " class=\"escalated\"" : ""
            out += "<tr\(mark)><td class=\"l id\">\(escape(d.consultation))</td><td class=\"l\">\(escape(d.title))</td>"
            out += "<td class=\"l\">\(escape(d.lead))</td><td class=\"l\">\(escape(d.agency))</td><td class=\"l date\">\(date(d.due))</td>"
            out += "<td class=\"l\">\(escape(w.standing(d)))</td>"
            out += "<td class=\"l\">\(escape(d.lastNotice.map(w.notice) ?? "—"))\(d.escalated ? " ▲" : "")</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if report.overdueTotal > report.overdue.count {
            out += "<p class=\"note\">\(escape(w.more(count(report.overdueTotal - report.overdue.count), count(report.overdueTotal))))</p>\n"
        }
        return out
    }

    // MARK: Formats

    func date(_ d: LocalDate) -> String {
        report.locale == .vi ? d.vietnameseStyle : "\(d.day) \(Words.months[d.month - 1]) \(d.year)"
    }

    /// A count with the locale's thousands separator: 1.234 in Vietnamese, 1,234 in English.
    func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += report.locale == .vi ? "." : "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A name in lines of about 30 characters, at spaces: the chart's labels stay narrow.
    func wrapped(_ name: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in name.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > 30 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static let style = """
        @page{size:A4 portrait;margin:14mm 12mm 16mm 12mm;@bottom-right{content:counter(page) " / " counter(pages);font:8pt "Noto Sans","DejaVu Sans",Arial,sans-serif;color:#4b5765}}
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;color:#1d2733;background:#fff;margin:24px auto;max-width:1100px;padding:0 16px;font-size:14px;line-height:1.35}
        .office{font-weight:600;text-transform:uppercase;letter-spacing:.02em;margin:0;font-size:13px}
        h1{font-size:24px;margin:10px 0 4px} h2{font-size:17px;margin:28px 0 8px}
        th.heading{background:none;font-weight:normal;padding:0;border:none} th.heading h2{margin-top:28px}
        .meta{color:#4b5765;margin:0 0 18px}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th,td{padding:6px 8px;border-bottom:1px solid #dde3ea;text-align:right;vertical-align:top}
        th{background:#f2f5f8;font-weight:600;vertical-align:bottom}
        th.l,td.l{text-align:left} td.l{overflow-wrap:anywhere} td.id,td.date{white-space:nowrap;overflow-wrap:normal}
        table.scores{font-size:14px} table.list{font-size:13px}
        tr.weak td{background:#fde4de} tr.escalated td{background:#fff1d6}
        tbody.total td{font-weight:700;border-top:2px solid #1d2733;border-bottom:none}
        thead{display:table-header-group} tr,dt,dd,figure{break-inside:avoid}
        .legend{margin:8px 0;color:#1d2733} .note{color:#4b5765;margin:0 0 8px;font-weight:normal;font-size:13px}
        .swatch{display:inline-block;width:14px;height:14px;margin:0 6px 0 0;vertical-align:-2px;border:1px solid #c9d1da}
        .swatch.weak{background:#fde4de} .swatch.ontime{background:#2f6fb3} .swatch.clarity{background:#e08a1e;margin-left:20px}
        .sep{display:inline-block;width:24px}
        figure.chart{margin:0 0 8px} figure.chart svg{display:block;width:100%;height:auto}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0} dt{font-weight:600} dd{margin:0}
        @media print{
        body{margin:0;max-width:none;padding:0;font-size:10pt}
        .office{font-size:9.5pt} h1{font-size:16pt} h2{font-size:12pt;margin:16pt 0 6pt} th.heading h2{margin-top:16pt} .note{font-size:9pt}
        table.scores{font-size:8.5pt} table.list{font-size:8pt} th,td{padding:3pt 4pt}
        dl{font-size:9pt}
        }
        """
}

/// The chart's geometry: label column as wide as its longest line needs (estimated from DejaVu
/// Sans's advances, with a margin), the bars beside it, in a viewBox that the page scales.
struct ChartLayout {
    static let fontSize = 14.0, barWidth = 520, barHeight = 14, lineHeight = 17
    let labelWidth: Int
    let lines: Int

    init(labels: [[String]]) {
        var widest = 120.0
        for label in labels {
            for (i, line) in label.enumerated() {
                widest = max(widest, Self.estimatedWidth(line, fontSize: Self.fontSize, bold: i == 0))
            }
        }
        labelWidth = Int(widest.rounded(.up)) + 16
        lines = max(2, labels.map(\.count).max() ?? 2)
    }

    var rowHeight: Int { max(2 * (Self.barHeight + 3) + 12, lines * Self.lineHeight + 10) }
    var width: Int { labelWidth + Self.barWidth + 56 }

    func svg(_ scores: [AgencyScore], names: [String: String], label: String, wrap: (String) -> [String]) -> String {
        let top = 12, axis = 22
        let height = top + max(scores.count, 1) * rowHeight + axis
        let barsX = labelWidth
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\""
        svg += " preserveAspectRatio=\"xMinYMin meet\" style=\"max-width:\(width)px\" role=\"img\" aria-label=\"\(label)\""
        svg += " font-family=\"Noto Sans, DejaVu Sans, Arial, sans-serif\">"
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = barsX + Self.barWidth * tick / 100
            svg += "<line x1=\"\(x)\" y1=\"\(top - 6)\" x2=\"\(x)\" y2=\"\(height - axis + 4)\" stroke=\"#dde3ea\"/>"
            svg += "<text x=\"\(x)\" y=\"\(height - 6)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#4b5765\">\(tick)%</text>"
        }
        for (i, s) in scores.enumerated() {
            let y = top + i * rowHeight
            let text = [s.agency] + wrap(names[s.agency] ?? "")
            for (k, line) in text.enumerated() {
                let weight = k == 0 ? " font-weight=\"bold\"" : ""
                svg += "<text class=\"label\" x=\"\(labelWidth - 10)\" y=\"\(y + 14 + k * Self.lineHeight)\" font-size=\"\(Int(Self.fontSize))\""
                svg += "\(weight) text-anchor=\"end\" fill=\"#1d2733\">\(escape(line))</text>"
            }
            for (j, (rate, color)) in [(s.onTimeRate, "#2f6fb3"), (s.clarityRate, "#e08a1e")].enumerated() {
                // An undefined rate draws no bar, and says so in its label.
                let w = Int((Double(Self.barWidth) * (rate ?? 0)).rounded())
                let by = y + 4 + j * (Self.barHeight + 3)
                svg += "<rect x=\"\(barsX)\" y=\"\(by)\" width=\"\(w)\" height=\"\(Self.barHeight)\" fill=\"\(color)\"/>"
                svg += "<text x=\"\(barsX + w + 6)\" y=\"\(by + 12)\" font-size=\"12\" fill=\"#1d2733\">\(ScorecardReport.percent(rate))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// The width of `text` in DejaVu Sans (the widest of the fonts the page names) at `fontSize`,
    /// from its advances by kind of letter, 8% over for safety; bold a tenth wider.
    static func estimatedWidth(_ text: String, fontSize: Double, bold: Bool) -> Double {
        var em = 0.0
        for c in text {
            guard let u = c.unicodeScalars.first else { continue }
            let base = Character(String(u)).lowercased()
            switch u.value {
            case 0x20: em += 0.32
            case 0x30...0x39: em += 0.64
            case 0x2E, 0x2C, 0x3A, 0x3B, 0x21, 0x7C, 0x27: em += 0.34
            case 0x28, 0x29, 0x2D: em += 0.40
            case 0x1100... where TextTable.width(of: u) == 2: em += 1.0
            default:
                if c.isUppercase {
                    em += base == "m" || base == "w" ? 0.99 : base == "i" || base == "j" ? 0.40 : 0.78
                } else if "ijl".contains(base) {
                    em += 0.29
                } else if "ftr".contains(base) {
                    em += 0.42
                } else if "mw".contains(base) {
                    em += 0.98
                } else {
                    em += 0.64
                }
            }
        }
        return em * fontSize * (bold ? 1.1 : 1.0) * 1.08
    }
}

extension ScorecardPage {
    /// The page's words in one language.
    struct Words: Sendable {
        let title, issuedBy, periodLabel, beginning, today, agency, total, weakLegend, undefinedLegend: String
        let chartTitle, chartLabel, onTimeRate, clarityRate, definitionsTitle, overdueTitle, overdueNote, noneOverdue: String
        let columns: [String]
        let definitions: [String]
        let overdueColumns: [String]
        let period: @Sendable (String, String) -> String
        let generated: @Sendable (String, String, String) -> String
        let standing: @Sendable (OverdueDuty) -> String
        let more: @Sendable (String, String) -> String
        let notices: [String: String]

        func notice(_ event: String) -> String { notices[event] ?? event }

        static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

        static let vi = Words(
            title: "Bảng đánh giá việc tham gia ý kiến", issuedBy: "Đơn vị lập", periodLabel: "Kỳ đánh giá",
            beginning: "đầu", today: "nay", agency: "Cơ quan", total: "Tổng cộng",
            weakLegend: "Dòng tô màu: tỉ lệ trả lời đúng hạn dưới 50%.",
            undefinedLegend: "không có số liệu để tính (chưa có lượt nào, hoặc chưa có văn bản trả lời nào).",
            chartTitle: "Tỉ lệ đúng hạn và tỉ lệ rõ ràng theo cơ quan", chartLabel: "Tỉ lệ đúng hạn và tỉ lệ rõ ràng theo cơ quan",
            onTimeRate: "Tỉ lệ đúng hạn", clarityRate: "Tỉ lệ rõ ràng", definitionsTitle: "Giải thích các cột",
            overdueTitle: "Các lượt lấy ý kiến quá hạn và đã báo cáo cấp trên",
            overdueNote: "Các lượt có hạn trả lời trong kỳ mà đến hạn chưa có văn bản trả lời rõ ràng: chưa trả lời, coi như đồng ý hoặc trả lời muộn. "
                + "Dòng tô màu và dấu ▲: đã gửi thông báo lên thủ trưởng cơ quan hoặc lãnh đạo thành phố.",
            noneOverdue: "Không có lượt nào quá hạn trong kỳ.",
            columns: ["Được lấy ý kiến", "Đúng hạn", "Muộn", "Chưa trả lời", "Chưa rõ ràng", "Né tránh", "Tỉ lệ đúng hạn",
                      "Tỉ lệ rõ ràng", "Số ngày muộn TB"],
            definitions: [
                "Mã và tên cơ quan được lấy ý kiến.",
                "Số lượt được lấy ý kiến có hạn trả lời trong kỳ (không tính lượt đã rút).",
                "Số lượt có văn bản trả lời rõ ràng nhận được đúng hoặc trước hạn.",
                "Số lượt có văn bản trả lời rõ ràng nhận được sau hạn.",
                "Số lượt chưa có văn bản trả lời rõ ràng (kể cả trường hợp coi như đồng ý do không trả lời).",
                "Số lượt có ít nhất một văn bản trả lời chung chung, chưa nêu rõ ý kiến.",
                "Số lượt có ít nhất một văn bản trả lời né tránh (cho rằng không thuộc thẩm quyền mà không nêu cơ quan có thẩm quyền).",
                "Đúng hạn chia cho được lấy ý kiến.",
                "Số lượt mà văn bản trả lời đầu tiên đã rõ ràng, chia cho số lượt có văn bản trả lời.",
                "Số ngày làm việc muộn bình quân của các văn bản trả lời muộn.",
            ],
            overdueColumns: ["Số hiệu", "Trích yếu", "Chủ trì", "Được lấy ý kiến", "Hạn trả lời", "Tình trạng", "Thông báo gần nhất"],
            period: { "hạn trả lời từ \($0) đến \($1)" },
            generated: { date, time, zone in "Lập lúc \(time) ngày \(date) (\(zone))" },
            standing: { d in
                switch d.status {
                case .discharged: "trả lời muộn \(d.daysLate ?? 0) ngày làm việc"
                case .deemed: "không trả lời, coi như đồng ý"
                default: "chưa có văn bản trả lời rõ ràng" + (d.daysLate.map { ", quá hạn \($0) ngày làm việc" } ?? "")
                }
            },
            more: { n, total in "Còn \(n) lượt nữa không liệt kê ở đây (tổng cộng \(total)): xem `consultctl list --overdue`." },
            notices: ["reminder": "nhắc hạn", "overdue": "quá hạn", "escalation-1": "báo cáo thủ trưởng cơ quan",
                      "escalation-2": "báo cáo lãnh đạo thành phố", "deemed-agreement": "coi như đồng ý"])

        static let en = Words(
            title: "Consultation scorecard", issuedBy: "Issued by", periodLabel: "Period",
            beginning: "the beginning", today: "today", agency: "Agency", total: "Total",
            weakLegend: "Shaded rows: on-time rate below 50%.",
            undefinedLegend: "nothing to divide (nothing consulted, or no reply at all).",
            chartTitle: "On-time and clarity rates by agency", chartLabel: "On-time and clarity rates by agency",
            onTimeRate: "On-time rate", clarityRate: "Clarity rate", definitionsTitle: "What the columns mean",
            overdueTitle: "Overdue and escalated consultations",
            overdueNote: "The duties due in the period that had no clear reply by their deadline: still unanswered, deemed to agree, or answered late. "
                + "Shaded rows and ▲: a notice went to the agency's head or the city leadership.",
            noneOverdue: "No duty of the period was overdue.",
            columns: ["Consulted", "On time", "Late", "Unanswered", "Vague", "Deflection", "On-time rate", "Clarity rate",
                      "Mean days late"],
            definitions: [
                "The consulted agency's code and name.",
                "Reply duties (not withdrawn) whose deadline falls in the period.",
                "Clear replies received on or before the deadline.",
                "Clear replies received after the deadline.",
                "Duties with no clear reply yet (deemed agreements included).",
                "Duties that received at least one vague reply.",
                "Duties that received at least one deflection (competence disclaimed without naming the competent body).",
                "On time divided by consulted.",
                "Duties whose first reply was clear, divided by duties with any reply.",
                "Mean working days late of the late replies.",
            ],
            overdueColumns: ["Consultation", "Title", "Lead", "Agency", "Deadline", "Standing", "Last notice"],
            period: { "reply deadlines from \($0) to \($1)" },
            generated: { date, time, zone in "Generated on \(date) at \(time) (\(zone))" },
            standing: { d in
                switch d.status {
                case .discharged: "replied \(d.daysLate ?? 0) working day\(d.daysLate == 1 ? "" : "s") late"
                case .deemed: "no reply; deemed to agree"
                default: "no clear reply" + (d.daysLate.map { ", \($0) working day\($0 == 1 ? "" : "s") overdue" } ?? "")
                }
            },
            more: { n, total in "\(n) more not listed here (\(total) in all): see `consultctl list --overdue`." },
            notices: [:])
    }
}

/// Text for HTML: printable, and `&`, `<`, `>`, `"` as entities.
func escape(_ s: String) -> String {
    TextTable.sanitize(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
