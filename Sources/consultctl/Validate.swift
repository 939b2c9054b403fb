import ArgumentParser
import ConsultRuntime
import Foundation

/// `consultctl validate FILE…`: the checks the daemon makes without state, nothing handed off.
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
            switch CheckedDocument.read(file, maxBytes: Int.max) {
            case let .success(checked):
                writeLine("\(file): valid \(checked.document.kind.rawValue) for \(checked.document.consultationID)")
            case let .failure(refusal):
                writeError(refusal.line(file: file))
                if status == 0 { status = ExitStatus.badDocument }
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}
