import ArgumentParser
import ConsultAdmin
import ConsultCore
import ConsultStore

/// `consultctl list`: consultations with their duties, open, overdue or all.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List consultations with their duties.",
        discussion: """
            Examples:
              consultctl list                       # open consultations
              consultctl list --overdue --agency STC
              consultctl list --all --format csv > consultations.csv
            """)

    @OptionGroup var options: Options
    @Flag(help: "Open consultations (the default).")
    var open = false
    @Flag(help: "Consultations with a duty past its due date.")
    var overdue = false
    @Flag(help: "Every consultation.")
    var all = false
    @Option(help: "Only consultations this agency leads or is consulted in.")
    var agency: String?
    @Option(help: "table, json or csv.")
    var format: Format = .table

    func validate() throws {
        if [open, overdue, all].filter({ $0 }).count > 1 { throw ValidationError("choose one of --open, --overdue, --all") }
    }

    func run() throws {
        let (settings, _) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let today = clock.date(of: Instant.now)
        let selection: StoreTransaction.Selection = all ? .all : overdue ? .overdue(today: today) : .open
        let summaries = try options.store(settings).read { tx in try tx.summaries(selection, agency: agency) }
        switch format {
        case .json: write(JSONWriter.string(.array(summaries.map(\.json)), pretty: true))
        case .csv: write(CSV.render(header: ConsultationSummary.csvHeader, rows: summaries.flatMap(\.csvRows)))
        case .table: write(TextTable.render(header: ConsultationSummary.listHeader, rows: summaries.map(\.listRow)))
        }
    }
}
