import ArgumentParser
import ConsultRuntime
import Foundation

/// `consultctl validate FILE…`: every check `submit` makes but who is asking; nothing handed off.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check documents as the daemon would, with the configuration at hand, without handing them off.",
        discussion: """
            Checks what the daemon checks without its state store: the JSON (errors point at the line \
            and column), every field of the kind (each bad field gets its own line), the size \
            (max_document_bytes), each agency named declared in the configuration ([agencies.CODE]), \
            and the roles: a request's lead is not consulted; a reply, extension, withdrawal or \
            resolution about a request named on the same command line names only agencies that \
            request consults. What needs the state store — whether the consultation exists, whom \
            it consults, who leads it — is left to the daemon. Who may submit is checked by submit.

            Each problem is one line FILE: CODE: REASON on standard error. Exit status 0 when every \
            file is valid, 65 when one is not, 66 when one does not exist or cannot be read, 78 when \
            the configuration is invalid; the highest applies.

            Examples:
              consultctl validate request.json reply-stc.json
              consultctl --config site.toml validate outgoing/*.json
            """)

    @OptionGroup var options: Options
    @Argument(help: "Document files.", completion: .file(extensions: ["json"]))
    var files: [String]

    func run() throws {
        let (settings, _) = try options.load()
        let checked = DocumentChecker(settings: settings, submitter: nil).check(files) { file in
            !CheckedDocument.exists(file) ? "no_such_file: no such file"
                : FileManager.default.isReadableFile(atPath: file) ? nil : "cannot read the file"
        }
        for c in checked {
            c.writeProblems()
            if c.status == 0, let document = c.checked?.document {
                writeLine("\(c.file): valid \(document.kind.rawValue) for \(document.consultationID)")
            }
        }
        let status = checked.map(\.status).max() ?? 0
        if status != 0 { throw ExitCode(status) }
    }
}
