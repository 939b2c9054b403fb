import ArgumentParser
import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultStore
import Foundation

/// `--config`, shared by the root command and the subcommands, and what it leads to: the
/// configuration, the calendar and the state store.
struct Options: ParsableArguments {
    @Option(name: .long, help: "Configuration file.")
    var config = Configuration.defaultPath

    /// The configuration and its calendar; exit 78 when either is invalid.
    func load() throws(ExitCode) -> (Configuration, CalendarFacts) {
        do {
            let settings = try Configuration.load(path: config)
            return (settings, try CalendarFile.load(path: settings.calendarPath))
        } catch {
            writeError("consultctl: invalid configuration: \(error)")
            throw ExitCode(ExitStatus.config)
        }
    }

    /// The state store, read-only (WAL readers never block the daemon); exit 66 when it does not
    /// exist, 74 when it cannot be opened.
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

/// The date `text` gives for `option` (nil when the option is absent); a usage error when it is
/// not YYYY-MM-DD.
func parseDate(_ text: String?, _ option: String) throws -> LocalDate? {
    guard let text else { return nil }
    guard let date = LocalDate(iso: text) else { throw ValidationError("\(option) must be a date YYYY-MM-DD") }
    return date
}
