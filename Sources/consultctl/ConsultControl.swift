import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultSpool
import ConsultStore
import Foundation

@main
struct ConsultControl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consultctl",
        abstract: "The administrator's tool for consultd: hand documents in, see where consultations stand, score agencies.",
        discussion: """
            Reads the same configuration as the daemon (--config, default /etc/consultd/consultd.toml) and
            the state store read-only, so it never blocks the running daemon.

            Exit status: 0 ok, 64 usage, 65 bad document, 66 no input, 74 I/O, 78 configuration.
            """,
        version: "0.1.0",
        subcommands: [Submit.self, Validate.self, Assess.self, List.self, Show.self, Report.self, Deadline.self, CalendarCommand.self,
                      Backup.self, Status.self]
    )

    /// `consultctl --config PATH COMMAND` (the contract's form): the subcommands read the same group.
    @OptionGroup var options: Options
}

// MARK: - Shared options

struct Options: ParsableArguments {
    @Option(name: .long, help: "Configuration file.")
    var config = Configuration.defaultPath

    func load() throws(ExitCode) -> (Configuration, CalendarFacts) {
        do {
            let settings = try Configuration.load(path: config)
            return (settings, try CalendarFile.load(path: settings.calendarPath))
        } catch {
            writeError("consultctl: invalid configuration: \(error)")
            throw ExitCode(ExitStatus.config)
        }
    }

    /// The state store, read-only (WAL readers never block the daemon).
    func store(_ settings: Configuration) throws(ExitCode) -> Store {
        guard FileManager.default.fileExists(atPath: settings.state) else {
            writeError("consultctl: no state store at \(settings.state) (has consultd run yet?)")
            throw ExitCode(ExitStatus.noInput)
        }
        do {
            return try Store(path: settings.state, readOnly: true)
        } catch {
            writeError("consultctl: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
    }
}

/// Writes `line` and a newline to standard error.
func writeError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

func parseDate(_ text: String?, _ option: String) throws -> LocalDate? {
    guard let text else { return nil }
    guard let date = LocalDate(iso: text) else { throw ValidationError("\(option) must be a date YYYY-MM-DD") }
    return date
}

// MARK: - submit, validate

/// Reads and validates a document file: the same checks the daemon makes without state.
func check(_ file: String, maxBytes: Int) -> Result<(bytes: [UInt8], document: Document), Refusal> {
    guard let data = FileManager.default.contents(atPath: file) else {
        return .failure(Refusal(.notRegularFile, "cannot read the file"))
    }
    return parseDocument(data, maxBytes: maxBytes)
}

/// Validates a document's bytes: its size, then what the daemon checks without state.
func parseDocument(_ data: Data, maxBytes: Int) -> Result<(bytes: [UInt8], document: Document), Refusal> {
    guard data.count <= maxBytes else {
        return .failure(Refusal(.tooLarge, "the file is \(data.count) bytes; the limit is \(maxBytes)"))
    }
    do {
        return .success((Array(data), try DocumentParser.parse(Array(data))))
    } catch {
        return .failure(error)
    }
}

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate documents, then hand them off to the daemon through tmp/ and new/.",
        discussion: """
            Each file is written to the spool's tmp/, fsync'd, and renamed into new/ under its own name
            (with .1, .2 … when the name is taken), so the daemon never sees a half-written file. The
            document stays owned by you: the daemon checks that you may speak for its agency.
            When one document of the batch is invalid, none is handed off (exit 65) unless --partial.

            Examples:
              consultctl submit request.json
              consultctl submit --partial replies/*.json
            """)

    @OptionGroup var options: Options
    @Flag(help: "Hand off the valid documents even when others are invalid.")
    var partial = false
    @Argument(help: "Document files.")
    var files: [String]

    func run() throws {
        let (settings, _) = try options.load()
        var valid: [(file: String, bytes: [UInt8])] = []
        var invalid = false
        for file in files {
            switch check(file, maxBytes: settings.maxDocumentBytes) {
            case let .success((bytes, _)): valid.append((file, bytes))
            case let .failure(refusal):
                invalid = true
                writeError("\(file): \(refusal.code.rawValue): \(refusal.reason)")
            }
        }
        if invalid && !partial {
            writeError("consultctl: nothing handed off; fix the documents above or use --partial")
            throw ExitCode(ExitStatus.badDocument)
        }
        let spool = Spool(root: settings.spool, outbox: settings.outbox)
        for (file, bytes) in valid {
            do {
                let name = try spool.handOff(bytes, name: (file as NSString).lastPathComponent)
                write("\(file): handed off as new/\(name)\n")
            } catch {
                writeError("consultctl: \(file): \(error)")
                throw ExitCode(ExitStatus.ioError)
            }
        }
        if invalid { throw ExitCode(ExitStatus.badDocument) }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check documents against the schemas without handing them off.",
        discussion: """
            JSON errors point at the line and column. Exit status 0 when every file is valid, 65 when one
            is not, 66 when one cannot be read.

            Examples:
              consultctl validate request.json reply-stc.json
            """)

    @Argument(help: "Document files.")
    var files: [String]

    func run() throws {
        var status: Int32 = 0
        for file in files {
            guard FileManager.default.isReadableFile(atPath: file) else {
                writeError("\(file): cannot read the file")
                status = max(status, ExitStatus.noInput)
                continue
            }
            switch check(file, maxBytes: Int.max) {
            case let .success((_, document)):
                write("\(file): valid \(document.kind.rawValue) for \(document.consultationID)\n")
            case let .failure(refusal):
                writeError("\(file): \(refusal.code.rawValue): \(refusal.reason)")
                if status == 0 { status = ExitStatus.badDocument }
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

// MARK: - list, show

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

// MARK: - report

struct Report: ParsableCommand {
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

// MARK: - deadline, calendar diff

struct Deadline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute a deadline in working days, naming the days off skipped.",
        discussion: """
            Examples:
              consultctl deadline --from 2025-01-20 --days 10
              consultctl deadline --from 2026-12-28 --days 5 --format json
            """)

    @OptionGroup var options: Options
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
        let basis = WorkingCalendar(facts: facts).deadline(from: LocalDate(iso: from)!, workingDays: days)
        switch format {
        case .json:
            let skipped = JSONValue.array(basis.skipped.map(\.json))
            write(JSONWriter.string(.object([("from", .string(from)), ("days", .int(days)),
                                             ("deadline", .string(basis.deadline.description)),
                                             ("provisional", .bool(basis.provisional)), ("skipped", skipped)]), pretty: true))
        case .csv:
            let rows = basis.skipped.isEmpty ? [[from, String(days), basis.deadline.description, String(basis.provisional), "", ""]]
                : basis.skipped.map { [from, String(days), basis.deadline.description, String(basis.provisional), $0.date.description, $0.name] }
            write(CSV.render(header: ["from", "days", "deadline", "provisional", "skipped_date", "skipped_name"], rows: rows))
        case .table:
            var text = "from        \(from)\ndays        \(days) working days\n"
            text += "deadline    \(basis.deadline)\(basis.provisional ? "  (provisional: the calendar does not cover every year counted)" : "")\n"
            if basis.skipped.isEmpty { text += "skipped     none (weekends aside)\n" }
            for (i, day) in basis.skipped.enumerated() { text += "\(i == 0 ? "skipped " : "        ")    \(day.date)  \(day.name)\n" }
            write(text)
        }
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Work with calendar files.", subcommands: [Diff.self])

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Preview which open consultations would get a different deadline under a new calendar file.",
            discussion: """
                Deadlines are frozen when computed; this is the preview to read before switching calendars.
                Exit status 0 whether or not something would move.

                Examples:
                  consultctl calendar diff /etc/consultd/calendars/vn-2027.toml
                """)

        @OptionGroup var options: Options
        @Argument(help: "The new calendar file.")
        var file: String
        @Option(help: "table, json or csv.")
        var format: Format = .table

        func run() throws {
            let (settings, _) = try options.load()
            let fresh: WorkingCalendar
            do {
                fresh = WorkingCalendar(facts: try CalendarFile.load(path: file))
            } catch {
                writeError("consultctl: invalid calendar: \(error)")
                throw ExitCode(ExitStatus.config)
            }
            let changes = try options.store(settings).read { tx in
                try tx.openConsultationIDs().compactMap { try tx.consultation($0) }.flatMap { $0.deadlineChanges(under: fresh) }
            }
            let header = ["id", "kind", "party", "agency", "due", "new_due"]
            let rows = changes.map { [$0.consultation, $0.kind.rawValue, $0.party, $0.agency, $0.due.description, $0.newDue.description] }
            switch format {
            case .json:
                write(JSONWriter.string(.array(rows.map { .object(zip(header, $0).map { ($0, JSONValue.string($1)) }) }), pretty: true))
            case .csv: write(CSV.render(header: header, rows: rows))
            case .table:
                write(changes.isEmpty ? "No open deadline would move.\n"
                      : TextTable.render(header: header.map { $0.uppercased() }, rows: rows))
            }
        }
    }
}

// MARK: - backup, status

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the state store consistently while the daemon runs (SQLite online backup).",
        discussion: """
            To restore: stop consultd, copy the backup over the state file (see `state` in the config),
            remove the -wal and -shm files beside it, start consultd.

            Examples:
              consultctl backup /var/backups/consultd-$(date +%F).sqlite
            """)

    @OptionGroup var options: Options
    @Argument(help: "The backup file to create (must not exist).")
    var destination: String

    func run() throws {
        let (settings, _) = try options.load()
        guard !FileManager.default.fileExists(atPath: destination) else {
            writeError("consultctl: \(destination) exists; choose a new file")
            throw ExitCode(ExitStatus.usage)
        }
        let store = try options.store(settings)
        do {
            try store.backup(to: destination)
            let copy = try Store(path: destination, readOnly: true)
            write("backed up \(settings.state) to \(destination) (integrity: \(try copy.quickCheck()))\n")
        } catch {
            writeError("consultctl: backup failed: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts of open and overdue work, and the daemon's own status line under systemd.",
        discussion: """
            Examples:
              consultctl status
            """)

    @OptionGroup var options: Options

    func run() throws {
        let (settings, _) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let today = clock.date(of: Instant.now)
        let (open, overdue, unclear) = try options.store(settings).read { tx in
            let counts = try tx.statusCounts(today: today)
            return (counts.open, counts.overdue, try tx.unclearOpenDuties())
        }
        var text = "open consultations           \(open)\n"
        text += "overdue duties               \(overdue)\n"
        text += "vague awaiting clarification \(unclear)\n"
        text += "daemon                       \(daemonStatus())\n"
        write(text)
    }

    /// `StatusText` of consultd.service, when systemd runs it.
    func daemonStatus() -> String {
        guard FileManager.default.fileExists(atPath: "/run/systemd/system"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/systemctl") else { return "not under systemd" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemctl")
        p.arguments = ["show", "-p", "ActiveState", "-p", "StatusText", "consultd.service"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "unknown" }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // `Key=Value` lines, in the unit's order rather than the order asked.
        var properties: [Substring: Substring] = [:]
        for line in out.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            properties[line[..<eq]] = line[line.index(after: eq)...]
        }
        let state = String(properties["ActiveState"] ?? "unknown")
        let status = String(properties["StatusText"] ?? "")
        return status.isEmpty ? state : "\(state): \(status)"
    }
}
