import ArgumentParser
import ConsultAdmin
import ConsultCore

/// `consultctl report`: the per-agency scorecard over a range of deadlines.
struct Report: ParsableCommand {
    /// `--format` of report: html besides, one page for the monthly review.
    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, html
    }

    static let configuration = CommandConfiguration(
        abstract: "Per-agency scorecard: consulted, on time, late, unanswered, vague, deflection, rates.",
        discussion: """
            Counts the reply duties (not withdrawn) whose deadline falls in [--from, --to]. --format html
            writes one self-contained page (table and bar chart) for the monthly review.

            Examples:
              consultctl report --from 2025-01-01 --to 2025-01-31
              consultctl report --from 2025-01-01 --to 2025-03-31 --format html > scorecard.html
            """)

    @OptionGroup var options: Options
    @Option(help: "First deadline counted (YYYY-MM-DD).")
    var from: String?
    @Option(help: "Last deadline counted (YYYY-MM-DD).")
    var to: String?
    @Option(help: "table, json, csv or html.")
    var format: ReportFormat = .table

    func validate() throws {
        if let f = try parseDate(from, "--from"), let t = try parseDate(to, "--to"), f > t {
            throw ValidationError("--from is after --to")
        }
    }

    func run() throws {
        let (settings, _) = try options.load()
        let start = try parseDate(from, "--from"), end = try parseDate(to, "--to")
        let facts = try options.store(settings).read { tx in try tx.replyDutyFacts(from: start, to: end) }
        let report = ScorecardReport(from: start ?? facts.map(\.due).min(), to: end ?? facts.map(\.due).max(),
                                     scores: Scorecard.score(facts),
                                     names: settings.directory.agencies.mapValues(\.name))
        switch format {
        case .json: write(JSONWriter.string(report.json, pretty: true))
        case .csv: write(CSV.render(header: ScorecardReport.header, rows: report.rows))
        case .table: write(report.table)
        case .html: write(report.html)
        }
    }
}
