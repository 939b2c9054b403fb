#if canImport(Glibc)
import Glibc
#endif
import CSystemd
import ConsultCore

/// Writes entries to the systemd journal with structured fields (`sd_journal_sendv`), or
/// readable lines to standard error where no journal socket exists.
public struct Journal: Sendable {
    public enum Destination: Sendable {
        /// journald when its socket exists, else standard error.
        case automatic
        /// Nowhere (for tests that look only at files and the store).
        case discard
    }

    /// The socket journald listens on for native entries.
    public static let socketPath = "/run/systemd/journal/socket"

    public let identifier: String
    private let toJournal: Bool
    private let toStandardError: Bool

    public init(identifier: String = "consultd", destination: Destination = .automatic) {
        self.identifier = identifier
        switch destination {
        case .automatic:
            toJournal = access(Self.socketPath, W_OK) == 0
            toStandardError = !toJournal
        case .discard:
            toJournal = false
            toStandardError = false
        }
    }

    /// Sends one entry. Field names are made valid for journald (upper case, digits, underscore,
    /// no leading underscore), which otherwise drops them silently. Fields with empty values
    /// are omitted.
    public func send(message: String, priority: Priority, fields: [(String, String)]) {
        // One readable line whatever a title or a file name holds: journald would keep a MESSAGE
        // with a control character as a blob, which a plain `journalctl` does not show.
        var all: [(String, String)] = [("MESSAGE", Printable.text(message)), ("PRIORITY", String(priority.level)),
                                       ("SYSLOG_IDENTIFIER", identifier)]
        for (name, value) in fields where !value.isEmpty {
            all.append((Self.fieldName(name), value))
        }
        if toJournal, Self.sendNative(all) { return }
        if toJournal || toStandardError { writeLine(message: message, priority: priority, fields: fields) }
    }

    private static func sendNative(_ fields: [(String, String)]) -> Bool {
        // One buffer for all fields: an entry per document makes this a hot path.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 1 })
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(fields.count)
        for (name, value) in fields {
            let start = buffer.count
            buffer.append(contentsOf: name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: value.utf8)
            spans.append((start, buffer.count - start))
        }
        return buffer.withUnsafeMutableBytes { raw in
            let vectors = spans.map { iovec(iov_base: raw.baseAddress! + $0.start, iov_len: $0.count) }
            return sd_journal_sendv(vectors, Int32(vectors.count)) >= 0
        }
    }

    private func writeLine(message: String, priority: Priority, fields: [(String, String)]) {
        let line = Self.line(identifier: identifier, pid: getpid(), message: message, priority: priority, fields: fields)
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }

    /// One entry as one line of text: `consultd[PID]: <PRIORITY> MESSAGE [FIELD=value …]`, ending
    /// in the only newline it holds. Whatever a file's name or a document's field holds, it cannot
    /// start a line of its own, move the cursor or reorder the text: controls print as `?` in the
    /// message and in values, and a value is quoted (with `\"` and `\\`) unless it is one plain
    /// word, so a value cannot pass for another field either.
    static func line(identifier: String, pid: pid_t, message: String, priority: Priority, fields: [(String, String)]) -> String {
        var line = "\(identifier)[\(pid)]: <\(priority.rawValue)> \(Printable.text(message))"
        let extra = fields.filter { !$0.1.isEmpty && $0.0 != "MESSAGE_ID" && !$0.0.hasPrefix("CODE_") }
        if !extra.isEmpty {
            line += " [" + extra.map { "\(fieldName($0.0))=\(quoted($0.1))" }.joined(separator: " ") + "]"
        }
        return line + "\n"
    }

    /// A field's value for the stderr line: as it is when it is one plain word, else quoted.
    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { u in
            !Printable.isControl(u) && !u.properties.isWhitespace && !"\"\\[]=".unicodeScalars.contains(u)
        }
        if plain { return value }
        var out = "\""
        for c in Printable.text(value) {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    /// A valid journal field name made from any key.
    public static func fieldName(_ key: String) -> String {
        // Names written in the code are valid already: check them without building a new one.
        let bytes = key.utf8
        if let first = bytes.first, first != UInt8(ascii: "_"), !(48...57).contains(first), bytes.count <= 64,
           bytes.allSatisfy({ (65...90).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }) {
            return key
        }
        var out = String(key.uppercased().unicodeScalars.map { s -> Character in
            (s.value >= 65 && s.value <= 90) || (s.value >= 48 && s.value <= 57) ? Character(s) : "_"
        })
        while out.hasPrefix("_") { out.removeFirst() }
        if out.first?.isNumber == true { out = "F" + out }
        return out.isEmpty ? "FIELD" : String(out.prefix(64))
    }
}
