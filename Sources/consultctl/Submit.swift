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
            switch CheckedDocument.read(file, maxBytes: settings.maxDocumentBytes) {
            case let .success(checked): valid.append((file, checked.bytes))
            case let .failure(refusal):
                invalid = true
                writeError(refusal.line(file: file))
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
                writeLine("\(file): handed off as new/\(name)")
            } catch {
                writeError("consultctl: \(file): \(error)")
                throw ExitCode(ExitStatus.ioError)
            }
        }
        if invalid { throw ExitCode(ExitStatus.badDocument) }
    }
}
