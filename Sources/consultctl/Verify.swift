import ArgumentParser
import ConsultAdmin
import ConsultCore
import ConsultRuntime
import ConsultSpool
import ConsultStore

/// `consultctl verify`: the archive re-hashed against the state store.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-hash done/ against the state store; name every archived document that differs or is missing.",
        discussion: """
            The store records the SHA-256 of every document applied; the daemon keeps its bytes in
            done/DATE/ (the date it was applied, in the configured time zone) in a file of its own.
            verify reads and hashes every file of done/, then names each document that no file holds:
            `differs` when a file of its name (NAME, NAME.1 …) in its date's folder holds other bytes,
            `missing` when there is none. Files that match no document (a re-sent request that differs
            only in spacing, kept as the daemon found it) are not named.

            Exit status 0 when every document is found, 1 when one differs or is missing, 77 when this
            account may not read done/, 74 when it cannot be read otherwise. done/ is 0750
            consultd:consultd: run it as root or as a member of consultd.
            A document whose day is past done_days ([retention]) and whose consultation is closed is
            counted as removed by retention when its file is gone, not as missing.

            Examples:
              consultctl verify
              consultctl --config /etc/consultd/consultd.toml verify
            """)

    @OptionGroup var options: Options

    func run() throws {
        let (settings, _) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let (documents, open) = try options.store(settings).read { tx in (try tx.appliedDocuments(), Set(try tx.openConsultationIDs())) }
        let today = clock.date(of: .now)
        let spool = Spool(root: settings.spool, outbox: settings.outbox)
        let wanted = Set(documents.map(\.hash))
        var found = Set<String>()
        /// `DATE/NAME` of each file that holds no document's bytes, and what it holds instead.
        var unmatched: [String: String] = [:]
        var files = 0
        if let problem = Access.problem(reading: spool.done, what: "archive", directory: true), problem.status == ExitStatus.permission {
            writeError("consultctl: \(problem.message)")
            throw ExitCode(problem.status)
        }
        do {
            try spool.archivedFiles { file in
                files += 1
                if let hash = file.hash, wanted.contains(hash) {
                    found.insert(hash)
                } else {
                    unmatched["\(file.date)/\(file.name)"] = file.problem.map { "cannot be read: \($0)" }
                        ?? "holds other bytes (SHA-256 \(file.hash ?? ""))"
                }
            }
        } catch {
            writeError("consultctl: cannot read \(spool.done): \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        var lines: [String] = []
        var differ = 0, missing = 0, pruned = 0
        for d in documents where !found.contains(d.hash) {
            let day = clock.date(of: d.appliedAt), date = day.description
            // Retention removed it: its day is past done_days and its consultation is closed.
            if !open.contains(d.consultation), Retention.isExpired(day, keep: settings.retention.doneDays, today: today),
               FileSystem.status(of: SpoolEntry(bytes: Array(d.file.utf8)), in: "\(spool.done)/\(date)") == nil {
                pruned += 1
                continue
            }
            let what = "\(d.kind) of \(d.consultation)\(d.agency.map { " (\($0))" } ?? ""), SHA-256 \(d.hash)"
            // Its name in its date's folder, or the first free one after it (a.json, a.json.1 …).
            var n = 0
            var named: String?
            while true {
                let name = SpoolNames.candidate(d.file, n)
                if let problem = unmatched.removeValue(forKey: "\(date)/\(name)") {
                    named = "differs  \(spool.done)/\(date)/\(name): \(what); the file \(problem)"
                    break
                }
                guard FileSystem.status(of: SpoolEntry(bytes: Array(name.utf8)), in: "\(spool.done)/\(date)") != nil else { break }
                n += 1
            }
            if let named {
                differ += 1
                lines.append(named)
            } else {
                missing += 1
                lines.append("missing  \(spool.done)/\(date)/\(SpoolNames.candidate(d.file, 0)): \(what)")
            }
        }
        for line in lines { write(TextTable.sanitize(line) + "\n") }
        var counts = "\(documents.count) document\(documents.count == 1 ? "" : "s"), \(files) file\(files == 1 ? "" : "s") in \(spool.done)"
        if pruned > 0 { counts += ", \(pruned) removed by retention (done_days = \(settings.retention.doneDays ?? 0))" }
        if lines.isEmpty {
            write("\(TextTable.sanitize(counts)): every document is there, byte for byte\n")
        } else {
            write("\(TextTable.sanitize(counts)): \(differ) differ, \(missing) missing\n")
            throw ExitCode(1)
        }
    }
}
