import ConsultCore
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
    static func read(_ file: String, maxBytes: Int) -> Result<CheckedDocument, Refusal> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(Refusal(.notRegularFile, "cannot read the file"))
        }
        return check(data, maxBytes: maxBytes)
    }

    /// Checks a document's bytes: their size, then what the daemon checks without state.
    static func check(_ data: Data, maxBytes: Int) -> Result<CheckedDocument, Refusal> {
        guard data.count <= maxBytes else {
            return .failure(Refusal(.tooLarge, "the file is \(data.count) bytes; the limit is \(maxBytes)"))
        }
        do {
            return .success(CheckedDocument(bytes: Array(data), document: try DocumentParser.parse(Array(data))))
        } catch {
            return .failure(error)
        }
    }
}

extension Refusal {
    /// `FILE: code: reason`, the line a refused file gets on standard error.
    func line(file: String) -> String {
        "\(file): \(code.rawValue): \(reason)"
    }
}
