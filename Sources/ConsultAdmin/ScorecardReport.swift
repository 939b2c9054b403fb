import ConsultCore

/// The per-agency scorecard for a period, in every format `consultctl report` writes.
public struct ScorecardReport: Sendable {
    public let from: LocalDate?
    public let to: LocalDate?
    public let scores: [AgencyScore]
    /// Agency names by code, for the table and the page.
    public let names: [String: String]

    public init(from: LocalDate?, to: LocalDate?, scores: [AgencyScore], names: [String: String]) {
        self.from = from
        self.to = to
        self.scores = scores
        self.names = names
    }

    /// A rate as a JSON number with at most four decimals; `null` when it is undefined.
    static func number(_ x: Double?) -> JSONValue {
        guard let x else { return .null }
        let rounded = (x * 10_000).rounded() / 10_000
        return .number(rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded))
    }

    /// What the table and the page show for an undefined rate or mean (the CSV leaves it empty).
    public static let undefined = "—"

    /// A rate as a CSV field: the JSON number, or empty when it is undefined.
    static func field(_ x: Double?) -> String { x.map { JSONWriter.string(number($0)) } ?? "" }

    static func percent(_ x: Double?) -> String { x.map { "\(Int(($0 * 100).rounded()))%" } ?? undefined }

    public var json: JSONValue {
        .object([
            ("from", .optional(from?.description)), ("to", .optional(to?.description)),
            ("agencies", .array(scores.map { s in
                .object([
                    ("agency", .string(s.agency)), ("name", .string(names[s.agency] ?? s.agency)),
                    ("consulted", .int(s.consulted)), ("on_time", .int(s.onTime)), ("late", .int(s.late)),
                    ("unanswered", .int(s.unanswered)), ("vague", .int(s.vague)), ("deflection", .int(s.deflection)),
                    ("on_time_rate", Self.number(s.onTimeRate)), ("clarity_rate", Self.number(s.clarityRate)),
                    ("mean_days_late", Self.number(s.meanDaysLate)),
                ])
            })),
        ])
    }

    public static let header = ["agency", "name", "consulted", "on_time", "late", "unanswered", "vague", "deflection",
                                "on_time_rate", "clarity_rate", "mean_days_late"]

    public var rows: [[String]] {
        scores.map { s in
            [s.agency, names[s.agency] ?? s.agency, String(s.consulted), String(s.onTime), String(s.late), String(s.unanswered),
             String(s.vague), String(s.deflection), Self.field(s.onTimeRate), Self.field(s.clarityRate),
             Self.field(s.meanDaysLate)]
        }
    }

    public var table: String {
        let period = "Period: \(from?.description ?? "beginning") – \(to?.description ?? "today")\n"
        return period + TextTable.render(
            header: ["AGENCY", "NAME", "CONSULTED", "ON TIME", "LATE", "UNANSWERED", "VAGUE", "DEFLECTION", "ON-TIME", "CLARITY",
                     "MEAN DAYS LATE"],
            rows: scores.map { s in
                [s.agency, names[s.agency] ?? s.agency, String(s.consulted), String(s.onTime), String(s.late), String(s.unanswered),
                 String(s.vague), String(s.deflection), Self.percent(s.onTimeRate), Self.percent(s.clarityRate),
                 format1(s.meanDaysLate)]
            })
    }

    /// A mean with one decimal, or `—` when it is undefined.
    func format1(_ x: Double?) -> String {
        guard let x else { return Self.undefined }
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// One self-contained page (no network, no script): the table and a bar chart of the on-time
    /// and clarity rates per agency, for the monthly review.
    public var html: String {
        let title = "Bảng đánh giá việc góp ý — Consultation scorecard"
        let period = "\(from.map(\.vietnameseStyle) ?? "…") – \(to.map(\.vietnameseStyle) ?? "…")"
        var page = """
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;margin:32px;color:#1d2733;background:#fff}
            h1{font-size:26px;margin:0 0 4px} .period{color:#5b6775;margin:0 0 24px;font-size:16px}
            table{border-collapse:collapse;margin:0 0 32px;font-size:15px}
            th,td{padding:7px 12px;border-bottom:1px solid #dde3ea;text-align:right}
            th{background:#f2f5f8;font-weight:600} td.l,th.l{text-align:left}
            tr.weak td{background:#fff4f2} .legend span{display:inline-block;width:14px;height:14px;margin:0 6px 0 18px;vertical-align:-2px}
            figure{margin:0} figcaption{font-size:16px;font-weight:600;margin-bottom:8px}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p class="period">Kỳ đánh giá / period: \(escape(period))</p>
            <table><thead><tr><th class="l">Cơ quan / Agency</th><th>Được lấy ý kiến<br>Consulted</th><th>Đúng hạn<br>On time</th>
            <th>Muộn<br>Late</th><th>Chưa trả lời<br>Unanswered</th><th>Chưa rõ<br>Vague</th><th>Né tránh<br>Deflection</th>
            <th>Tỉ lệ đúng hạn<br>On-time rate</th><th>Tỉ lệ rõ ràng<br>Clarity rate</th><th>Muộn TB (ngày LV)<br>Mean days late</th></tr></thead><tbody>

            """
        for s in scores {
            let weak = s.onTimeRate.map { $0 < 0.5 } == true ? " class=\"weak\"" : ""
            page += "<tr\(weak)><td class=\"l\"><b>\(escape(s.agency))</b> \(escape(names[s.agency] ?? ""))</td><td>\(s.consulted)</td>"
            page += "<td>\(s.onTime)</td><td>\(s.late)</td><td>\(s.unanswered)</td><td>\(s.vague)</td><td>\(s.deflection)</td>"
            page += "<td>\(Self.percent(s.onTimeRate))</td><td>\(Self.percent(s.clarityRate))</td><td>\(format1(s.meanDaysLate))</td></tr>\n"
        }
        page += "</tbody></table>\n" + chart + "\n</body></html>\n"
        return page
    }

    /// Horizontal bars, two per agency: on-time rate and clarity rate.
    var chart: String {
        let labelWidth = 260, barWidth = 520, rowHeight = 46, top = 30
        let height = top + max(scores.count, 1) * rowHeight + 30
        var svg = "<figure><figcaption>Tỉ lệ đúng hạn và tỉ lệ rõ ràng / On-time and clarity rates</figcaption>"
        svg += "<p class=\"legend\"><span style=\"background:#2f6fb3\"></span>Đúng hạn / on time<span style=\"background:#e08a1e\"></span>Rõ ràng / clear</p>"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelWidth + barWidth + 80)\" height=\"\(height)\" role=\"img\" aria-label=\"On-time and clarity rates per agency\">"
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = labelWidth + barWidth * tick / 100
            svg += "<line x1=\"\(x)\" y1=\"\(top - 8)\" x2=\"\(x)\" y2=\"\(height - 24)\" stroke=\"#dde3ea\"/>"
            svg += "<text x=\"\(x)\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"middle\" fill=\"#5b6775\">\(tick)%</text>"
        }
        for (i, s) in scores.enumerated() {
            let y = top + i * rowHeight
            let label = "\(s.agency) \(names[s.agency] ?? "")"
            svg += "<text x=\"\(labelWidth - 10)\" y=\"\(y + 20)\" font-size=\"14\" text-anchor=\"end\" fill=\"#1d2733\">\(escape(label))</text>"
            for (j, (rate, color)) in [(s.onTimeRate, "#2f6fb3"), (s.clarityRate, "#e08a1e")].enumerated() {
                // An undefined rate draws no bar, and says so in its label.
                let w = Int((Double(barWidth) * (rate ?? 0)).rounded())
                let by = y + 4 + j * 17
                svg += "<rect x=\"\(labelWidth)\" y=\"\(by)\" width=\"\(w)\" height=\"14\" fill=\"\(color)\"/>"
                svg += "<text x=\"\(labelWidth + w + 6)\" y=\"\(by + 12)\" font-size=\"12\" fill=\"#1d2733\">\(Self.percent(rate))</text>"
            }
        }
        return svg + "</svg></figure>"
    }

    func escape(_ s: String) -> String {
        TextTable.sanitize(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
