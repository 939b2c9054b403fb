import ArgumentParser
import ConsultAdmin
import ConsultCore

/// `consultctl deadline`: a deadline in working days, with the days off it skips.
struct Deadline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute a deadline in working days, naming the days off skipped.",
        discussion: """
            Examples:
              consultctl deadline --from 2025-01-20 --days 10
              consultctl deadline --from 2026-12-28 --days 5 --format json
            """)

    @OptionGroup var options: Options
    @OptionGroup var display: DisplayOptions
    @Option(help: "Day zero (YYYY-MM-DD), the local date the request was sent.")
    var from: String
    @Option(help: "Working days to count.")
    var days: Int
    @Option(help: "table, json or csv.")
    var format: Format = .table

    func validate() throws {
        _ = try parseDate(from, "--from")
        guard (0...3660).contains(days) else { throw ValidationError("--days must be between 0 and 3660") }
    }

    func run() throws {
        let (_, facts) = try options.load()
        // validate() has read the date.
        let basis = WorkingCalendar(facts: facts).deadline(from: LocalDate(iso: from)!, workingDays: days)
        _ = display.start()
        switch format {
        case .json: write(json(basis))
        case .csv: write(csv(basis))
        case .table: write(table(basis))
        }
    }

    private func json(_ basis: DeadlineBasis) -> String {
        let skipped = JSONValue.array(basis.skipped.map(\.json))
        return JSONWriter.string(.object([("from", .string(from)), ("days", .int(days)),
                                          ("deadline", .string(basis.deadline.description)),
                                          ("provisional", .bool(basis.provisional)), ("skipped", skipped)]), pretty: true)
    }

    /// One row per day off skipped, or one with empty skipped columns when none is.
    private func csv(_ basis: DeadlineBasis) -> String {
        let counted = [from, String(days), basis.deadline.description, String(basis.provisional)]
        let rows = basis.skipped.isEmpty ? [counted + ["", ""]] : basis.skipped.map { counted + [$0.date.description, $0.name] }
        return CSV.render(header: ["from", "days", "deadline", "provisional", "skipped_date", "skipped_name"], rows: rows)
    }

    private func table(_ basis: DeadlineBasis) -> String {
        let provisional = basis.provisional ? "  (provisional: the calendar does not cover every year counted)" : ""
        var text = "from        \(from)\ndays        \(days) working days\n"
        text += "deadline    \(basis.deadline)\(provisional)\n"
        if basis.skipped.isEmpty { text += "skipped     none (weekends aside)\n" }
        for (i, day) in basis.skipped.enumerated() { text += "\(i == 0 ? "skipped " : "        ")    \(day.date)  \(day.name)\n" }
        return text
    }
}
