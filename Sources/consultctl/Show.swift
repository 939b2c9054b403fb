import ArgumentParser
import ConsultAdmin
import ConsultCore
import ConsultRuntime

/// `consultctl show ID`: one consultation's timeline.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one consultation's timeline: documents, assessments, deadlines, notices and skipped steps.",
        discussion: """
            Examples:
              consultctl show HN-2025-SXD-0153
              consultctl show HN-2025-SXD-0153 --format json
            """)

    @OptionGroup var options: Options
    @Argument(help: "The consultation id.")
    var id: String
    @Option(help: "table, json or csv.")
    var format: Format = .table

    func run() throws {
        let (settings, _) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let view: ConsultationView? = try options.store(settings).read { tx in
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
        switch format {
        case .json: write(JSONWriter.string(view.detailJSON, pretty: true))
        case .csv: write(CSV.render(header: ConsultationSummary.csvHeader, rows: view.summary.csvRows))
        case .table: write(view.timeline)
        }
    }
}
