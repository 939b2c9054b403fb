import ArgumentParser
import ConsultAdmin
import ConsultCore
import ConsultStore

/// `consultctl list`: consultations with their duties, open, overdue or all.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List consultations with their duties.",
        discussion: """
            On a terminal the table fits its width (long titles and duty lists are cut, ending in …; \
            --full shows them whole), goes through a pager (--no-pager: not), and rows that need \
            attention are coloured unless NO_COLOR is set: bold red when a duty has been escalated \
            (the ladder reached a step of priority err or higher, by default escalation-1), red when \
            a duty is overdue, yellow when the latest reply to an open duty was vague or a \
            deflection. Piped or redirected, nothing is cut or coloured.

            --agency takes a code the configuration declares (or the state store names), in any \
            case when only one code matches; an unknown code is a usage error (exit 64) that lists \
            the known ones.

            Examples:
              consultctl list                       # open consultations
              consultctl list --overdue --agency STC
              consultctl list --all --format csv > consultations.csv
            """)

    @OptionGroup var options: Options
    @OptionGroup var display: DisplayOptions
    @Flag(help: "Open consultations (the default).")
    var open = false
    @Flag(help: "Consultations with a duty past its due date.")
    var overdue = false
    @Flag(help: "Every consultation.")
    var all = false
    @Option(help: "Only consultations this agency leads or is consulted in.", completion: .custom(Completion.agencyCodes))
    var agency: String?
    @Option(help: "table, json or csv.")
    var format: Format = .table

    func validate() throws {
        if [open, overdue, all].filter({ $0 }).count > 1 { throw ValidationError("choose one of --open, --overdue, --all") }
    }

    func run() throws {
        let (settings, facts) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let now = Instant.now
        let today = clock.date(of: now)
        let selection: StoreTransaction.Selection = all ? .all : overdue ? .overdue(today: today) : .open
        let store = try options.store(settings)
        let code = try agency.map { given throws(ExitCode) in try resolveAgency(given, option: "--agency", settings: settings, store: store) }
        let summaries = try options.read(store) { tx in try tx.summaries(selection, agency: code) }
        let style = display.start()
        switch format {
        case .json: write(JSONWriter.string(.array(summaries.map(\.json)), pretty: true))
        case .csv: write(CSV.render(header: ConsultationSummary.csvHeader, rows: summaries.flatMap(\.csvRows)))
        case .table:
            let standing = Standing(calendar: WorkingCalendar(facts: facts), clock: clock, policy: settings.directory.policy, now: now)
            write(TextTable.render(header: ConsultationSummary.listHeader, rows: summaries.map(\.listRow),
                                   highlights: style.colour ? standing.highlights(summaries) : [], style: style))
        }
    }
}
