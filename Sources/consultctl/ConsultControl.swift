import ArgumentParser
import ConsultConfig
import ConsultCore
import Foundation

/// sysexits(3) codes of the contract.
enum ExitStatus {
    static let badDocument: Int32 = 65
    static let noInput: Int32 = 66
    static let config: Int32 = 78
}

@main
struct ConsultControl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consultctl",
        abstract: "The administrator's tool for consultd.",
        version: "0.1.0",
        subcommands: [Deadline.self, Validate.self]
    )
}

struct Options: ParsableArguments {
    @Option(name: .long, help: "Configuration file.")
    var config = Configuration.defaultPath

    func load() -> (Configuration, CalendarFacts) {
        do {
            let settings = try Configuration.load(path: config)
            return (settings, try CalendarFile.load(path: settings.calendarPath))
        } catch {
            fail("consultctl: invalid configuration: \(error)", ExitStatus.config)
        }
    }
}

func fail(_ message: String, _ status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    Foundation.exit(status)
}

enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

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
        guard LocalDate(iso: from) != nil else { throw ValidationError("--from must be a date YYYY-MM-DD") }
        guard (0...3660).contains(days) else { throw ValidationError("--days must be between 0 and 3660") }
    }

    func run() throws {
        let (_, facts) = options.load()
        let basis = WorkingCalendar(facts: facts).deadline(from: LocalDate(iso: from)!, workingDays: days)
        switch format {
        case .json:
            let skipped = JSONValue.array(basis.skipped.map { .object([("date", .string($0.date.description)), ("name", .string($0.name))]) })
            print(JSONWriter.string(.object([("from", .string(from)), ("days", .int(days)),
                                             ("deadline", .string(basis.deadline.description)),
                                             ("provisional", .bool(basis.provisional)), ("skipped", skipped)]), pretty: true),
                  terminator: "")
        case .csv:
            print("from,days,deadline,provisional,skipped_date,skipped_name\r")
            let rows = basis.skipped.isEmpty ? [nil] : basis.skipped.map(Optional.some)
            for day in rows {
                print("\(from),\(days),\(basis.deadline),\(basis.provisional),\(day?.date.description ?? ""),\(csv(day?.name ?? ""))\r")
            }
        case .table:
            print("from        \(from)")
            print("days        \(days) working days")
            print("deadline    \(basis.deadline)\(basis.provisional ? "  (provisional: the calendar does not cover every year counted)" : "")")
            if basis.skipped.isEmpty {
                print("skipped     none (weekends aside)")
            } else {
                for (i, day) in basis.skipped.enumerated() {
                    print("\(i == 0 ? "skipped " : "        ")    \(day.date)  \(day.name)")
                }
            }
        }
    }
}

/// One RFC 4180 field.
func csv(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check documents against the schemas without handing them off.",
        discussion: """
            Exit status 0 when every file is valid, 65 when one is not, 66 when one cannot be read.
            Examples:
              consultctl validate request.json reply-stc.json
            """)

    @Argument(help: "Document files.")
    var files: [String]

    func run() throws {
        var status: Int32 = 0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot read the file\n".utf8))
                status = max(status, ExitStatus.noInput)
                continue
            }
            do {
                let document = try DocumentParser.parse(Array(data))
                print("\(file): valid \(document.kind.rawValue) for \(document.consultationID)")
            } catch {
                FileHandle.standardError.write(Data("\(file): \(error.code.rawValue): \(error.reason)\n".utf8))
                if status == 0 { status = ExitStatus.badDocument }
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}
