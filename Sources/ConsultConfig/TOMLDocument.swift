import ConsultCore
import TOMLKit

/// A TOML value copied out of TOMLKit into plain, Sendable Swift values.
indirect enum TOMLNode: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case date(year: Int, month: Int, day: Int)
    case time(hour: Int, minute: Int)
    case other(String)
    case array([TOMLNode])
    case table([String: TOMLNode])

    var typeName: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a float"
        case .bool: return "a boolean"
        case .date: return "a date"
        case .time: return "a time"
        case .other: return "a date-time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// A parsed TOML file: its root table, and enough of its text to point at the line of a key.
struct TOMLDocument: Sendable {
    let path: String
    let root: [String: TOMLNode]
    let locator: KeyLocator

    init(text: String, path: String) throws(ConfigError) {
        self.path = path
        self.locator = KeyLocator(text: text)
        do {
            let table = try TOMLTable(string: text)
            self.root = Self.convert(table)
        } catch let error as TOMLParseError {
            throw ConfigError(file: path, line: error.source.begin.line, key: nil,
                              message: "TOML syntax error at column \(error.source.begin.column): \(error.description)")
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot parse: \(error)")
        }
    }

    static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
        var result: [String: TOMLNode] = [:]
        for key in table.keys {
            if let value = table[key] { result[key] = convert(value) }
        }
        return result
    }

    static func convert(_ value: any TOMLValueConvertible) -> TOMLNode {
        if let t = value.table { return .table(convert(t)) }
        if let a = value.array { return .array(a.map { convert($0) }) }
        if let s = value.string { return .string(s) }
        if let b = value.bool { return .bool(b) }
        if let i = value.int { return .int(i) }
        if let d = value.double { return .double(d) }
        if let d = value.date { return .date(year: d.year, month: d.month, day: d.day) }
        if let t = value.time { return .time(hour: t.hour, minute: t.minute) }
        return .other(String(describing: value))
    }

    /// An error about the value at `key` (a dotted path such as `policy.ladder[2].offset`).
    func error(_ key: KeyPath, _ message: String) -> ConfigError {
        ConfigError(file: path, line: locator.line(of: key), key: key.description, message: message)
    }
}

/// A path to a value: table names, keys and array positions.
struct KeyPath: CustomStringConvertible, Sendable {
    enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init(_ components: [Component] = []) { self.components = components }

    func appending(_ key: String) -> KeyPath { KeyPath(components + [.key(key)]) }
    func appending(index: Int) -> KeyPath { KeyPath(components + [.index(index)]) }

    var description: String {
        var s = ""
        for c in components {
            switch c {
            case let .key(k): s += (s.isEmpty ? "" : ".") + k
            case let .index(i): s += "[\(i + 1)]"
            }
        }
        return s
    }
}

/// Finds the line where a key is set, by reading table headers and `key =` lines. TOMLKit
/// reports positions only for syntax errors; errors about values need this to name a line.
struct KeyLocator: Sendable {
    /// For each line that sets a key or opens a table: the full path it names, and its number.
    private let entries: [(path: [KeyPath.Component], line: Int)]

    init(text: String) {
        var entries: [(path: [KeyPath.Component], line: Int)] = []
        var table: [KeyPath.Component] = []
        var arrayCounts: [String: Int] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                let names = Self.names(line.dropFirst(2).prefix { $0 != "]" })
                let joined = names.joined(separator: ".")
                let index = arrayCounts[joined, default: 0]
                arrayCounts[joined] = index + 1
                table = names.map { .key($0) } + [.index(index)]
                entries.append((table, n + 1))
            } else if line.hasPrefix("[") {
                table = Self.names(line.dropFirst().prefix { $0 != "]" }).map { .key($0) }
                entries.append((table, n + 1))
            } else if let eq = line.firstIndex(of: "=") {
                let key = Self.names(line[..<eq]).map { KeyPath.Component.key($0) }
                if !key.isEmpty { entries.append((table + key, n + 1)) }
            }
        }
        self.entries = entries
    }

    /// The line of the longest prefix of `key` that a line sets or opens.
    func line(of key: KeyPath) -> Int? {
        var best: (length: Int, line: Int)?
        for entry in entries where entry.path.count <= key.components.count
            && Array(key.components.prefix(entry.path.count)) == entry.path {
            if best == nil || entry.path.count > best!.length { best = (entry.path.count, entry.line) }
        }
        return best?.line
    }

    private static func names(_ s: Substring) -> [String] {
        s.split(separator: ".").map { $0.trimmingCharacters(in: " \t\"'") }.filter { !$0.isEmpty }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
