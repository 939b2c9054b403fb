import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultRuntime

/// `consultctl calendar`: the group of calendar file commands.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Work with calendar files.", subcommands: [Diff.self])

    /// `consultctl calendar diff FILE`: the open deadlines a new calendar file would move.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Preview which open consultations would get a different deadline under a new calendar file.",
            discussion: """
                Deadlines are frozen when computed; this is the preview to read before switching calendars.
                Exit status 0 whether or not something would move; 66 when FILE does not exist, 78 when it
                is not a valid calendar.

                Examples:
                  consultctl calendar diff /etc/consultd/calendars/vn-2027.toml
                """)

        @OptionGroup var options: Options
        @OptionGroup var display: DisplayOptions
        @Argument(help: "The new calendar file.", completion: .file(extensions: ["toml"]))
        var file: String
        @Option(help: "table, json or csv.")
        var format: Format = .table

        func run() throws {
            let (settings, _) = try options.load()
            guard CheckedDocument.exists(file) else {
                writeError("consultctl: \(file): no such file")
                throw ExitCode(ExitStatus.noInput)
            }
            let fresh: WorkingCalendar
            do {
                fresh = WorkingCalendar(facts: try CalendarFile.load(path: file))
            } catch {
                writeError("consultctl: invalid calendar: \(error)")
                throw ExitCode(ExitStatus.config)
            }
            let changes = try options.read(try options.store(settings)) { tx in
                try tx.openConsultationIDs().compactMap { try tx.consultation($0) }.flatMap { $0.deadlineChanges(under: fresh) }
            }
            let style = display.start()
            let header = ["id", "kind", "party", "agency", "due", "new_due"]
            let rows = changes.map { [$0.consultation, $0.kind.rawValue, $0.party, $0.agency, $0.due.description, $0.newDue.description] }
            switch format {
            case .json:
                write(JSONWriter.string(.array(rows.map { .object(zip(header, $0).map { ($0, JSONValue.string($1)) }) }), pretty: true))
            case .csv: write(CSV.render(header: header, rows: rows))
            case .table:
                write(changes.isEmpty ? "No open deadline would move.\n"
                      : TextTable.render(header: header.map { $0.uppercased() }, rows: rows, style: style))
            }
        }
    }
}
