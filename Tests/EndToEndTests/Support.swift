import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The result of running a program.
struct Outcome {
    let status: Int32
    let stdout: String
    let stderr: String
}

@discardableResult
func execute(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
             in directory: String? = nil) throws -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    if let environment { p.environment = environment }
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// The built binaries (`swift build` puts them beside the test bundle's build folder).
func binary(_ name: String) -> String {
    if let dir = ProcessInfo.processInfo.environment["CONSULTD_BIN_DIR"] { return dir + "/" + name }
    return repository + "/.build/debug/" + name
}

/// Makes sure a real systemd-journald listens (starting one as root where none does).
func ensureJournald() throws -> Bool {
    let socket = "/run/systemd/journal/socket"
    // A socket left by a journald that no longer runs accepts nothing: look for the process.
    let running = (try? execute("/usr/bin/pgrep", ["-x", "systemd-journal"]))?.status == 0
    if running && FileManager.default.fileExists(atPath: socket) { return true }
    guard getuid() == 0 else { return false }
    try? FileManager.default.removeItem(atPath: socket)
    try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/lib/systemd/systemd-journald")
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return eventually { FileManager.default.fileExists(atPath: socket) }
}

/// Journal entries of consultd (or of `identifier`) matching `filters`, read back with
/// `journalctl -o json`; waits until at least `count` are there (journald stores asynchronously).
func journalEntries(_ filters: [String], atLeast count: Int, identifier: String = "consultd") throws -> [[String: String]] {
    var entries: [[String: String]] = []
    try eventually(within: .seconds(10), every: .milliseconds(100)) {
        let r = try execute("/usr/bin/journalctl", ["-o", "json", "--no-pager", "SYSLOG_IDENTIFIER=\(identifier)"] + filters)
        entries = r.stdout.split(separator: "\n").compactMap { line in
            guard case let .object(members)? = try? JSONReader.parse(Array(line.utf8)) else { return nil }
            var fields: [String: String] = [:]
            for (k, v) in members { if case let .string(s) = v { fields[k] = s } }
            return fields
        }
        return entries.count >= count
    }
    return entries
}

/// A spool, state and config in a temporary folder, for the real binary.
struct Site {
    let root: String
    let config: String

    /// A site in a fresh temporary folder, its agencies named in `locale`'s language (with the
    /// other language's names as aliases when `aliasOther`), who may submit for each, and
    /// whether that is checked (`authorization`).
    init(extra: String = "", locale: NoticeLocale = .en, aliasOther: Bool = false,
         submitters: [String: [String]] = [:], authorization: String = "off") throws {
        root = try TemporaryFolder.make("e2e")
        config = root + "/consultd.toml"
        for dir in ["new", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/spool/" + dir, withIntermediateDirectories: true)
        }
        let text = """
            spool = "spool"
            state = "state/state.sqlite"
            calendar = "\(repository)/config/calendars/vn.toml"
            authorization = "\(authorization)"
            locale = "\(locale.rawValue)"
            \(extra)

            """ + TestAgency.configuration(TestAgency.city.map { agency in
                var a = agency
                a.submitters = submitters[a.code] ?? []
                return a
            }, locale: locale, aliasOther: aliasOther)
        try text.write(toFile: config, atomically: true, encoding: .utf8)
    }

    func put(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: root + "/spool/new/" + name, contents: Data(text.utf8))
    }

    func once(_ at: String) throws -> Outcome {
        try execute(binary("consultd"), ["--config", config, "--once", "--at", at])
    }

    func json(_ path: String) throws -> JSONValue {
        try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))))
    }

    func list(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}
