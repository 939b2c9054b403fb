import ConsultCore
import Foundation

/// Reads and validates a document file: the same checks the daemon makes without state.
func check(_ file: String, maxBytes: Int) -> Result<(bytes: [UInt8], document: Document), Refusal> {
    guard let data = FileManager.default.contents(atPath: file) else {
        return .failure(Refusal(.notRegularFile, "cannot read the file"))
    }
    return parseDocument(data, maxBytes: maxBytes)
}

/// Validates a document's bytes: its size, then what the daemon checks without state.
func parseDocument(_ data: Data, maxBytes: Int) -> Result<(bytes: [UInt8], document: Document), Refusal> {
    guard data.count <= maxBytes else {
        return .failure(Refusal(.tooLarge, "the file is \(data.count) bytes; the limit is \(maxBytes)"))
    }
    do {
        return .success((Array(data), try DocumentParser.parse(Array(data))))
    } catch {
        return .failure(error)
    }
}
