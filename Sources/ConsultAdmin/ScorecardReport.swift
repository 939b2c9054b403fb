import ConsultCore

/// The per-agency scorecard for a period, in every format `consultctl report` writes.
public struct ScorecardReport: Sendable {
    public let from: LocalDate?
    public let to: LocalDate?
    public let scores: [AgencyScore]
    /// Agency names by code, for the table and the page.
    public let names: [String: String]
    /// Who issues the page (`[report] office`).
    public var office: String?
    /// When the report was made, and the clock that tells it in the site's time zone.
    public var generated: (at: Instant, clock: LocalClock)?
    /// The language and number format of the page.
    public var locale: NoticeLocale
    /// The duties behind the late and unanswered counts, listed below the page's table (at most
    /// ``overdueListed``), and how many there are in all.
    public var overdue: [OverdueDuty]
    public var overdueTotal: Int

    /// The page lists at most this many overdue duties: it is a document to read, and `consultctl
    /// list --overdue` has them all.
    public static let overdueListed = 1_000

    public init(from: LocalDate?, to: LocalDate?, scores: [AgencyScore], names: [String: String], office: String? = nil,
                generated: (at: Instant, clock: LocalClock)? = nil, locale: NoticeLocale = .vi, overdue: [OverdueDuty] = []) {
        self.from = from
        self.to = to
        self.scores = scores
        self.names = names
        self.office = office
        self.generated = generated
        self.locale = locale
        self.overdue = overdue
        self.overdueTotal = overdue.count
    }

    /// Every agency added up (``Scorecard/total(_:agency:)``).
    public var total: AgencyScore { Scorecard.total(scores) }

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

    static func scoreJSON(_ s: AgencyScore) -> [(String, JSONValue)] {
        [("consulted", .int(s.consulted)), ("on_time", .int(s.onTime)), ("late", .int(s.late)),
         ("unanswered", .int(s.unanswered)), ("vague", .int(s.vague)), ("deflection", .int(s.deflection)),
         ("on_time_rate", Self.number(s.onTimeRate)), ("clarity_rate", Self.number(s.clarityRate)),
         ("mean_days_late", Self.number(s.meanDaysLate))]
    }

    /// Contract §10's object, and `totals` (every agency added up; rates over the sums).
    public var json: JSONValue {
        .object([
            ("from", .optional(from?.description)), ("to", .optional(to?.description)),
            ("agencies", .array(scores.map { s in
                .object([("agency", .string(s.agency)), ("name", .string(names[s.agency] ?? s.agency))] + Self.scoreJSON(s))
            })),
            ("totals", .object(Self.scoreJSON(total))),
        ])
    }

    public static let header = ["agency", "name", "consulted", "on_time", "late", "unanswered", "vague", "deflection",
                                "on_time_rate", "clarity_rate", "mean_days_late"]

    /// One CSV row per agency (no totals: a spreadsheet sums the columns itself, and a row that
    /// is not an agency would be counted twice by one that does).
    public var rows: [[String]] {
        scores.map { s in
            [s.agency, names[s.agency] ?? s.agency, String(s.consulted), String(s.onTime), String(s.late), String(s.unanswered),
             String(s.vague), String(s.deflection), Self.field(s.onTimeRate), Self.field(s.clarityRate),
             Self.field(s.meanDaysLate)]
        }
    }

    /// The terminal's table: numbers right-aligned, a `total` row last; with colour, the agencies
    /// whose on-time rate is below half in yellow (the page's highlight).
    public func table(style: TableStyle = .plain) -> String {
        let period = "Period: \(from?.description ?? "beginning") – \(to?.description ?? "today")\n"
        func cells(_ s: AgencyScore, _ agency: String, _ name: String) -> [String] {
            [agency, name, String(s.consulted), String(s.onTime), String(s.late), String(s.unanswered),
             String(s.vague), String(s.deflection), Self.percent(s.onTimeRate), Self.percent(s.clarityRate),
             Self.mean(s.meanDaysLate, decimalComma: false)]
        }
        let rows = scores.map { cells($0, $0.agency, names[$0.agency] ?? $0.agency) } + [cells(total, "total", "")]
        return period + TextTable.render(
            header: ["AGENCY", "NAME", "CONSULTED", "ON TIME", "LATE", "UNANSWERED", "VAGUE", "DEFLECTION", "ON-TIME", "CLARITY",
                     "MEAN DAYS LATE"],
            rows: rows, alignments: [.left, .left] + Array(repeating: .right, count: 9),
            highlights: scores.map { Self.isWeak($0) ? .unclear : nil }, style: style)
    }

    /// The rows the page highlights: an on-time rate below one half (none when it is undefined).
    static func isWeak(_ s: AgencyScore) -> Bool { s.onTimeRate.map { $0 < 0.5 } == true }

    /// A mean with one decimal, or `—` when it is undefined.
    static func mean(_ x: Double?, decimalComma: Bool) -> String {
        guard let x else { return undefined }
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10)\(decimalComma ? "," : ".")\(tenths % 10)"
    }

    /// One self-contained page (no network, no script) for the monthly review — see
    /// ``ScorecardPage``.
    public var html: String { ScorecardPage(report: self).html }
}
