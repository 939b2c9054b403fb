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
        switch load(file, maxBytes: maxBytes) {
        case let .success(bytes): return check(Data(bytes), maxBytes: maxBytes)
        case let .failure(refusal): return .failure(Refusals(refusal))
        }
    }

    /// The bytes of `file`, at most `maxBytes`: a file that is no regular file (a FIFO, a device,
    /// a folder) is refused without waiting on it, and a larger one from its size, unread.
    static func load(_ file: String, maxBytes: Int) -> Result<[UInt8], Refusal> {
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(Refusal(.notRegularFile, "cannot read the file: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            return .failure(Refusal(.notRegularFile, "cannot read the file: \(String(cString: strerror(errno)))"))
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            return .failure(Refusal(.notRegularFile, "\(Spool.typeName(st.st_mode)), not a regular file"))
        }
        guard Int(st.st_size) <= maxBytes else {
            return .failure(Refusal(.tooLarge, "the file is \(st.st_size) bytes; the limit is \(maxBytes) (max_document_bytes)"))
        }
        // One byte more than allowed: a file that grew since fstat is still caught.
        var bytes = [UInt8](repeating: 0, count: maxBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Refusal(.notRegularFile, "cannot read the file: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            count += n
        }
        guard count <= maxBytes else {
            return .failure(Refusal(.tooLarge, "the file is over \(maxBytes) bytes (max_document_bytes)"))
        }
        return .success(Array(bytes.prefix(count)))
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
            switch CheckedDocument.load(file, maxBytes: settings.maxDocumentBytes) {
            case let .failure(refusal): c.problems = [refusal]
            case let .success(bytes):
                switch CheckedDocument.check(Data(bytes), maxBytes: settings.maxDocumentBytes) {
                case let .success(checked): c.checked = checked
                case let .failure(refusals):
                    c.problems = refusals.all
                    // Every bad field at once: the agencies it names are checked though another field is bad.
                    c.problems += Admission.undeclaredAgencies(in: bytes, directory: settings.directory)
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
