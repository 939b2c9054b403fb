import ArgumentParser
import ConsultAdmin
import ConsultCore
import ConsultRuntime

/// `consultctl show ID`: one consultation's timeline.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one consultation's timeline: documents, assessments, deadlines, notices and skipped steps.",
        discussion: """
            On a terminal, lines are cut to its width (--full: whole), the output goes through a \
            pager (--no-pager: not), and duties that need attention are coloured as in list \
            (escalated, overdue, unclear) unless NO_COLOR is set. The id completes in bash, zsh and \
            fish from the state store.

            Examples:
              consultctl show HN-2025-SXD-0153
              consultctl show HN-2025-SXD-0153 --format json
            """)

    @OptionGroup var options: Options
    @OptionGroup var display: DisplayOptions
    @Argument(help: "The consultation id.", completion: .custom(Completion.consultationIDs))
    var id: String
    @Option(help: "table, json or csv.")
    var format: Format = .table

    func run() throws {
        let (settings, facts) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let store = try options.store(settings)
        let view: ConsultationView? = try options.read(store) { tx in
            guard let c = try tx.consultation(id) else { return nil }
            let documents = try tx.documents(of: id).map {
                ConsultationView.DocumentLine(kind: $0.kind, file: $0.file, at: $0.appliedAt, agency: $0.agency,
                                              received: $0.received, position: $0.position, assessment: $0.assessment)
            }
            return ConsultationView(c, documents: documents, clock: clock)
        }
        guard let view else {
            writeError("consultctl: no consultation \(id)")
            throw ExitCode(ExitStatus.noInput)
        }
        let style = display.start()
        switch format {
        case .json: write(JSONWriter.string(view.detailJSON, pretty: true))
        case .csv: write(CSV.render(header: ConsultationSummary.csvHeader, rows: view.summary.csvRows))
        case .table:
            let standing = Standing(calendar: WorkingCalendar(facts: facts), clock: clock, policy: settings.directory.policy, now: .now)
            write(view.timeline(style: style, standing: standing))
        }
    }
}
