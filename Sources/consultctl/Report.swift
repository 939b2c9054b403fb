import ArgumentParser
import ConsultAdmin
import ConsultCore
import Foundation

/// `consultctl report`: the per-agency scorecard over a range of deadlines.
struct Report: ParsableCommand {
    /// `--format` of report: html besides, one page for the monthly review.
    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, html
    }

    static let configuration = CommandConfiguration(
        abstract: "Per-agency scorecard: consulted, on time, late, unanswered, vague, deflection, rates.",
        discussion: """
            Counts the reply duties (not withdrawn) whose deadline falls in [--from, --to]; a total \
            row (JSON: `totals`) adds every agency up, its rates taken over the sums. A rate with \
            nothing to divide is — (null in JSON, empty in CSV).

            --format html writes one self-contained page for the monthly review, in the \
            configuration's locale (vi: decimal comma, dates DD/MM/YYYY; en: point): the issuing \
            office ([report] office in the configuration, or --office), the period and the time it \
            was made; the table with its totals, the rows whose on-time rate is below 50% shaded \
            and explained; a bar chart of the two rates that scales with the page; what each column \
            means; and the overdue and escalated duties behind the numbers. It prints on A4 \
            portrait.

            Examples:
              consultctl report --from 2025-01-01 --to 2025-01-31
              consultctl report --from 2025-01-01 --to 2025-03-31 --format html > scorecard.html
            """)

    @OptionGroup var options: Options
    @OptionGroup var display: DisplayOptions
    @Option(help: "First deadline counted (YYYY-MM-DD).")
    var from: String?
    @Option(help: "Last deadline counted (YYYY-MM-DD).")
    var to: String?
    @Option(help: "table, json, csv or html.")
    var format: ReportFormat = .table
    @Option(help: "The issuing office the page names (default: [report] office in the configuration).")
    var office: String?

    func validate() throws {
        if let f = try parseDate(from, "--from"), let t = try parseDate(to, "--to"), f > t {
            throw ValidationError("--from is after --to")
        }
    }

    func run() throws {
        let (settings, facts) = try options.load()
        let start = try parseDate(from, "--from"), end = try parseDate(to, "--to")
        let clock = LocalClock(timeZone: settings.timeZone)
        let now = Instant.now
        let today = clock.date(of: now)
        let store = try options.store(settings)
        let duties = try options.read(store) { tx in try tx.replyDutyFacts(from: start, to: end) }
        var report = ScorecardReport(from: start ?? duties.map(\.due).min(), to: end ?? duties.map(\.due).max(),
                                     scores: Scorecard.score(duties),
                                     names: settings.directory.agencies.mapValues(\.name))
        if format == .html {
            let steps = settings.directory.policy.ladder.steps(for: .reply).map(\.name)
            var (overdue, total) = try options.read(store) { tx in
                try tx.overdueDuties(from: start, to: end, today: today, steps: steps, limit: ScorecardReport.overdueListed)
            }
            let calendar = WorkingCalendar(facts: facts)
            for i in overdue.indices where overdue[i].status == .open {
                overdue[i].daysLate = calendar.workingDays(after: overdue[i].due, through: today)
            }
            report.overdue = overdue
            report.overdueTotal = total
            report.office = office ?? settings.reportOffice ?? ProcessInfo.processInfo.hostName
            report.generated = (now, clock)
            report.locale = settings.directory.locale
        }
        let style = display.start()
        switch format {
        case .json: write(JSONWriter.string(report.json, pretty: true))
        case .csv: write(CSV.render(header: ScorecardReport.header, rows: report.rows))
        case .table: write(report.table(style: style))
        case .html: write(report.html)
        }
    }
}
