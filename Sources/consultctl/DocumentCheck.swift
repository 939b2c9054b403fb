import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultSpool
import Foundation

/// A document that passed the checks the daemon makes without state, with the bytes it came in.
struct CheckedDocument {
    let bytes: [UInt8]
    let document: Document

    /// Whether `file` is there (a link counts, even one that leads nowhere): a missing file is
    /// exit 66 (no input), not an invalid document.
    static func exists(_ file: String) -> Bool {
        var st = stat()
        return lstat(file, &st) == 0
    }

    /// Reads `file` and checks it; a file that cannot be read is refused as `not_regular_file`.
    static func read(_ file: String, maxBytes: Int) -> Result<CheckedDocument, Refusals> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(Refusals(Refusal(.notRegularFile, "cannot read the file")))
        }
        return check(data, maxBytes: maxBytes)
    }

    /// Checks a document's bytes: their size, then what the daemon checks without state, every
    /// bad field reported.
    static func check(_ data: Data, maxBytes: Int) -> Result<CheckedDocument, Refusals> {
        guard data.count <= maxBytes else {
            return .failure(Refusals(Refusal(.tooLarge, "the file is \(data.count) bytes; the limit is \(maxBytes) (max_document_bytes)")))
        }
        let bytes = Array(data)
        return DocumentParser.check(bytes).map { CheckedDocument(bytes: bytes, document: $0) }
    }
}

/// A file named on the command line, checked: its document, and every reason the daemon would
/// refuse it (none when it may be handed off).
struct CheckedFile {
    let file: String
    var checked: CheckedDocument?
    /// Why the file is no input (exit 66), when it is none.
    var noInput: String?
    var problems: [Refusal] = []

    /// 0, 65 (`badDocument`) when there are problems, or 66 (`noInput`).
    var status: Int32 {
        noInput != nil ? ExitStatus.noInput : problems.isEmpty ? 0 : ExitStatus.badDocument
    }

    /// Writes why the file is no input, or each problem as a line `FILE: code: reason`, to
    /// standard error.
    func writeProblems() {
        if let noInput { writeError("\(file): \(noInput)") }
        for problem in problems { writeError(problem.line(file: file)) }
    }
}

/// The account that runs `submit`, under `authorization = "owner"`: the daemon will find it the
/// owner of each document handed off, and check it as it checks every owner (``Accounts``).
struct Submitter {
    let account: String
    /// The agencies whose submitters include the account.
    let speaksFor: Set<String>

    /// The account this process writes files as.
    static func current(_ directory: Directory) -> Submitter {
        let uid = geteuid()
        let accounts = Accounts.lookUp([uid], agencies: directory.agencies.values)
        return Submitter(account: accounts.userName(uid),
                         speaksFor: Set(directory.agencies.filter { accounts.isSubmitter(uid, of: $0.value) }.keys))
    }
}

/// What `validate` and `submit` check: what the daemon checks without state (every bad field, not
/// only the first), then what the configuration tells — agencies declared, roles, and for
/// `submit` under `authorization = "owner"` who may send what (``Admission``).
struct DocumentChecker {
    let settings: Configuration
    /// The account handing the documents off; nil when nobody's rights are checked.
    let submitter: Submitter?

    /// Checks `files` as one batch: a request among them tells the other documents of its
    /// consultation its lead and consulted agencies, as the state store tells the daemon.
    /// `noInput` says why a file is no input (exit 66), or nil for a file to read.
    func check(_ files: [String], noInput: (String) -> String?) -> [CheckedFile] {
        var files = files.map { file in
            var c = CheckedFile(file: file)
            c.noInput = noInput(file)
            guard c.noInput == nil else { return c }
            switch CheckedDocument.read(file, maxBytes: settings.maxDocumentBytes) {
            case let .success(checked): c.checked = checked
            case let .failure(refusals):
                c.problems = refusals.all
                // Every bad field at once: the agencies it names are checked though another field is bad.
                if let bytes = FileManager.default.contents(atPath: file), bytes.count <= settings.maxDocumentBytes {
                    c.problems += Admission.undeclaredAgencies(in: Array(bytes), directory: settings.directory)
                        .filter { extra in !c.problems.contains { $0.reason == extra.reason } }
                }
            }
            return c
        }
        var requests: [String: Request] = [:]
        for c in files {
            if case let .request(r)? = c.checked?.document, requests[r.id] == nil { requests[r.id] = r }
        }
        for i in files.indices {
            guard let document = files[i].checked?.document else { continue }
            let request = requests[document.consultationID]
            files[i].problems += Admission.problems(document, directory: settings.directory, request: request)
            if let submitter, let refusal = Admission.unauthorized(document, account: submitter.account,
                                                                    speaksFor: submitter.speaksFor, lead: request?.lead) {
                files[i].problems.append(refusal)
            }
        }
        return files
    }
}

extension Refusal {
    /// `FILE: code: reason`, the line a refused file gets on standard error.
    func line(file: String) -> String {
        "\(file): \(code.rawValue): \(reason)"
    }
}
