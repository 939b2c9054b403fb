import ArgumentParser
import ConsultRuntime
import ConsultSpool
import Foundation

/// `consultctl submit FILE…`: validates documents, then hands them to the daemon through the
/// spool's tmp/ and new/.
struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate documents, then hand them off to the daemon through tmp/ and new/.",
        discussion: """
            Each file is written to the spool's tmp/, fsync'd, and renamed into new/ under its own name
            (with .1, .2 … when the name is taken), so the daemon never sees a half-written file. The
            document stays owned by you: the daemon checks that you may speak for its agency.

            Every document is checked first as validate checks it (see consultctl validate --help). Under
            authorization = "owner", also that you may speak for the agency it speaks for, as the daemon
            will: a request's lead, a reply's agency. An extension, withdrawal or resolution speaks for
            the consultation's lead, which only the daemon's state store knows: it is refused here when
            you speak only for agencies it names as consulted (the lead never is one), or when a request
            on the same command line names a lead you do not speak for; otherwise the daemon decides.

            When one document of the batch is invalid (exit 65) or missing (exit 66), none is handed off
            unless --partial; an invalid configuration is exit 78. It works for a member of the
            submitters' group, who cannot list tmp/ or new/: the folders are never opened for reading,
            and one syncfs(2) of the spool's file system makes the batch durable before it is reported
            handed off.

            Examples:
              consultctl submit request.json
              consultctl submit --partial replies/*.json
            """)

    @OptionGroup var options: Options
    @Flag(help: "Hand off the valid documents even when others are invalid.")
    var partial = false
    @Argument(help: "Document files.", completion: .file(extensions: ["json"]))
    var files: [String]

    func run() throws {
        let (settings, _) = try options.load()
        let submitter = settings.authorization == .owner ? Submitter.current(settings.directory) : nil
        let checked = DocumentChecker(settings: settings, submitter: submitter).check(files) { file in
            CheckedDocument.exists(file) ? nil : "no_such_file: no such file"
        }
        for c in checked { c.writeProblems() }
        let status = checked.map(\.status).max() ?? 0
        if status != 0 && !partial {
            writeError("consultctl: nothing handed off; fix the documents above or use --partial")
            throw ExitCode(status)
        }
        try handOff(checked.compactMap { c in c.status == 0 ? c.checked.map { (c.file, $0.bytes) } : nil },
                    to: Spool(root: settings.spool, outbox: settings.outbox))
        if status != 0 { throw ExitCode(status) }
    }

    /// Hands the documents off, then makes the batch durable, and only then says what was handed
    /// off: a line printed is a document the daemon will see, whatever happens next.
    private func handOff(_ documents: [(file: String, bytes: [UInt8])], to spool: Spool) throws {
        guard !documents.isEmpty else { return }
        var handed: [(file: String, name: String)] = []
        var failure: String?
        do {
            let handOff = try HandOff(spool)
            for (file, bytes) in documents {
                do {
                    handed.append((file, try handOff.put(bytes, name: (file as NSString).lastPathComponent)))
                } catch {
                    failure = "\(file): \(error)"
                    break
                }
            }
            do {
                try handOff.commit()
            } catch {
                failure = failure ?? "\(error): the documents above are in new/ but may not survive a crash"
            }
        } catch {
            failure = "\(error)"
        }
        for (file, name) in handed { writeLine("\(file): handed off as new/\(name)") }
        if let failure {
            writeError("consultctl: \(failure)")
            throw ExitCode(ExitStatus.ioError)
        }
    }
}
