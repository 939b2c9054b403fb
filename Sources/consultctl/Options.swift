import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultStore
import Foundation

/// `--config`, shared by the root command and the subcommands, and what it leads to: the
/// configuration, the calendar and the state store.
struct Options: ParsableArguments {
    @Option(name: .long, help: "Configuration file.", completion: .file(extensions: ["toml"]))
    var config = Configuration.defaultPath

    /// The configuration and its calendar; exit 78 when either is missing or invalid, 77 when it
    /// may not be read.
    func load() throws(ExitCode) -> (Configuration, CalendarFacts) {
        if let problem = Access.problem(reading: config, what: "configuration", missingStatus: ExitStatus.config) {
            writeError("consultctl: \(problem.message)")
            throw ExitCode(problem.status)
        }
        let settings: Configuration
        do {
            settings = try Configuration.load(path: config)
        } catch {
            writeError("consultctl: invalid configuration: \(error)")
            throw ExitCode(ExitStatus.config)
        }
        if let problem = Access.problem(reading: settings.calendarPath, what: "calendar file", missingStatus: ExitStatus.config) {
            writeError("consultctl: \(problem.message) (calendar in \(config))")
            throw ExitCode(problem.status)
        }
        do {
            return (settings, try CalendarFile.load(path: settings.calendarPath))
        } catch {
            writeError("consultctl: invalid configuration: \(error)")
            throw ExitCode(ExitStatus.config)
        }
    }

    /// The state store, read-only: never written, no file created beside it, WAL readers never
    /// block the daemon. Exit 66 when it does not exist, 77 when this account may not read it
    /// (or the WAL beside it), 74 when it cannot be opened.
    func store(_ settings: Configuration) throws(ExitCode) -> Store {
        if let problem = Access.problem(reading: settings.state, what: "state store") {
            writeError("consultctl: \(problem.message)\(problem.status == ExitStatus.noInput ? " (has consultd run yet?)" : "")")
            throw ExitCode(problem.status)
        }
        // The daemon's WAL and its index: readable by the same accounts as the store, but a
        // -shm file left by hand with other permissions is named rather than SQLite's code.
        for suffix in ["-wal", "-shm"] where Access.exists(settings.state + suffix) {
            if let problem = Access.problem(reading: settings.state + suffix, what: suffix == "-wal" ? "state store's WAL file" : "state store's WAL index") {
                writeError("consultctl: \(problem.message)")
                throw ExitCode(problem.status)
            }
        }
        do {
            return try Store(path: settings.state, readOnly: true)
        } catch {
            writeError("consultctl: \(error)")
            throw ExitCode(error.code == .newerSchema ? ExitStatus.config : ExitStatus.ioError)
        }
    }

    /// `body` over `store`; a failure of the read is exit 74, naming the store.
    func read<T>(_ store: Store, _ body: (StoreTransaction) throws -> T) throws(ExitCode) -> T {
        do {
            return try store.read(body)
        } catch {
            writeError("consultctl: cannot read the state store \(store.path): \(error)")
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

/// The agency code `given` names for `option`: a code known exactly, else the one code it matches
/// ignoring case (`stc` for `STC`); otherwise a usage error (exit 64) listing the codes known.
/// Known are the configuration's agencies and, when `store` is given and the code is not
/// declared, those the store names (an agency removed from the configuration keeps its
/// consultations).
func resolveAgency(_ given: String, option: String, settings: Configuration, store: Store? = nil) throws(ExitCode) -> String {
    var known = Set(settings.directory.agencies.keys)
    if case let .success(code) = AgencyCodes.resolve(given, known: known) { return code }
    if let store, let stored = try? store.read({ tx in try tx.agencyCodes() }) { known.formUnion(stored) }
    switch AgencyCodes.resolve(given, known: known) {
    case let .success(code): return code
    case let .failure(mismatch):
        writeError("consultctl: \(option) \(mismatch)")
        throw ExitCode(ExitStatus.usage)
    }
}
