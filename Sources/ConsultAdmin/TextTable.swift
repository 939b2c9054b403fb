import ConsultCore

/// How a table is laid out for where it goes: a terminal's width and colours, or neither.
public struct TableStyle: Sendable, Equatable {
    /// Columns available; nil when nothing may be cut (output piped, or `--full`).
    public var width: Int?
    /// Whether rows that need attention are coloured (ANSI SGR).
    public var colour: Bool

    public init(width: Int?, colour: Bool) {
        self.width = width
        self.colour = colour
    }

    /// Whole cells, no colour: what a pipe or a file gets.
    public static let plain = TableStyle(width: nil, colour: false)
}

/// Renders rows as an aligned terminal table. Widths are display widths (a Vietnamese letter with
/// its marks is one column, a CJK ideograph two), and control characters in cells are shown as
/// `?`, so a document's title can neither break the layout nor send escape sequences.
public enum TextTable {
    public enum Alignment: Sendable {
        case left
        /// Numbers: their units line up.
        case right
    }

    /// Why a row stands out, strongest first; a colour on a terminal.
    public enum Highlight: Int, Sendable, Comparable {
        /// An open duty the ladder has taken to a step of priority `err` or higher.
        case escalated
        /// An open duty past its due date.
        case overdue
        /// An open reply duty whose latest reply was vague or a deflection.
        case unclear

        /// Bold red, red, yellow.
        var sgr: String {
            switch self {
            case .escalated: "1;31"
            case .overdue: "31"
            case .unclear: "33"
            }
        }

        public static func < (a: Highlight, b: Highlight) -> Bool { a.rawValue < b.rawValue }
    }

    /// The narrowest a text column is cut to (unless its header or its cells are narrower).
    static let minimumCut = 8

    /// The table; columns are left-aligned unless `alignments` says otherwise. With
    /// `style.width`, text columns are cut (ending in `…`), the widest first, until the table
    /// fits, never below a few columns; numbers are never cut. With `style.colour`, the header is
    /// underlined and each row with a highlight is coloured as a whole — after its cells were
    /// made printable, so no cell can send an escape sequence of its own.
    public static func render(header: [String], rows: [[String]], alignments: [Alignment] = [],
                              highlights: [Highlight?] = [], style: TableStyle = .plain) -> String {
        // Each cell is measured once: lists can have a hundred thousand rows.
        let cells = ([header] + rows).map { row in row.map { cell -> (text: String, width: Int) in
            let text = sanitize(cell)
            return (text, displayWidth(text))
        } }
        var widths = [Int](repeating: 0, count: header.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.width) }
        }
        let alignment = { (i: Int) in i < alignments.count ? alignments[i] : .left }
        if let limit = style.width {
            widths = fitted(widths, headerWidths: cells[0].map(\.width), into: limit,
                            shrinkable: widths.indices.map { alignment($0) == .left })
        }
        var out = ""
        for (r, row) in cells.enumerated() {
            let sgr = !style.colour ? nil : r == 0 ? "4" : (r - 1 < highlights.count ? highlights[r - 1]?.sgr : nil)
            if let sgr { out += "\u{1B}[" + sgr + "m" }
            for (i, cell) in row.enumerated() {
                if i > 0 { out += "  " }
                let width = i < widths.count ? widths[i] : cell.width
                let (text, used) = cell.width > width ? fit(cell.text, to: width) : cell
                let pad = String(repeating: " ", count: max(0, width - used))
                if alignment(i) == .right {
                    out += pad + text
                } else {
                    out += text
                    if i < row.count - 1 { out += pad }
                }
            }
            if sgr != nil { out += "\u{1B}[0m" }
            out += "\n"
        }
        return out
    }

    /// Column widths that fit `limit` columns (two between columns): the shrinkable columns
    /// wider than a common cap are cut to it, the lowest cap that is needed, never below
    /// ``minimumCut`` (or the header's width, if wider). A table that cannot fit keeps that floor
    /// and overflows.
    static func fitted(_ widths: [Int], headerWidths: [Int], into limit: Int, shrinkable: [Bool]) -> [Int] {
        let natural = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        guard natural > limit else { return widths }
        let floors = widths.indices.map { i in min(widths[i], max(minimumCut, headerWidths[i])) }
        func width(_ i: Int, cap: Int) -> Int { shrinkable[i] ? max(floors[i], min(widths[i], cap)) : widths[i] }
        func total(cap: Int) -> Int { widths.indices.reduce(0) { $0 + width($1, cap: cap) } + 2 * max(0, widths.count - 1) }
        // The widest cap that fits, by bisection over [0, the widest column].
        var low = 0, high = widths.max() ?? 0
        while low < high {
            let mid = (low + high + 1) / 2
            if total(cap: mid) <= limit { low = mid } else { high = mid - 1 }
        }
        return widths.indices.map { width($0, cap: low) }
    }

    /// Columns a string occupies in a terminal.
    public static func displayWidth(_ s: String) -> Int {
        isPlainASCII(s) ? s.utf8.count : s.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// Printable ASCII only: one column per byte, nothing to sanitize.
    static func isPlainASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
        0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]

    /// Columns one scalar takes: combining marks and zero-width characters none, East Asian
    /// wide characters two.
    static func width(of u: Unicode.Scalar) -> Int {
        let v = u.value
        // Latin letters, precomposed Vietnamese ones included: no lookup needed.
        if v < 0x300 || (0x1E00...0x1EFF).contains(v) { return 1 }
        if (0x200B...0x200F).contains(v) || v == 0x2060 || v == 0xFEFF { return 0 }
        let category = u.properties.generalCategory
        if category == .nonspacingMark || category == .enclosingMark { return 0 }
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// The text cut to `limit` columns (ending in `…` when cut), with its width.
    static func fit(_ s: String, to limit: Int) -> (text: String, width: Int) {
        if isPlainASCII(s) {
            let bytes = s.utf8.count
            return bytes > limit ? (String(decoding: s.utf8.prefix(limit - 1), as: UTF8.self) + "…", limit) : (s, bytes)
        }
        let full = displayWidth(s)
        guard full > limit else { return (s, full) }
        var out = String.UnicodeScalarView()
        var used = 0
        for u in s.unicodeScalars {
            let w = width(of: u)
            if w > 0 && used + w > limit - 1 { break }
            out.append(u)
            used += w
        }
        return (String(out) + "…", used + 1)
    }

    /// Replaces control characters (C0, DEL, C1, bidirectional controls, line separators) with `?`.
    public static func sanitize(_ s: String) -> String { Printable.text(s) }
}

/// RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break.
///
/// A file an office opens in a spreadsheet must not run what a document says: a field that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which
/// makes it text (OWASP's rule for CSV injection) — a plain number such as `-3` excepted, which
/// no spreadsheet reads as a formula. Control characters print as `?`, line feeds excepted (a
/// quoted field may hold them).
public enum CSV {
    public static func render(header: [String], rows: [[String]]) -> String {
        var out = ""
        for row in [header] + rows {
            for (i, cell) in row.enumerated() {
                if i > 0 { out += "," }
                out += field(cell)
            }
            out += "\r\n"
        }
        return out
    }

    public static func field(_ s: String) -> String {
        var text = Printable.text(s, keepingNewlines: true)
        if startsFormula(s) { text = "'" + text }
        // Bytes, not characters: these four are ASCII, and a list can have a million fields.
        return text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// Whether a spreadsheet could read `s` as a formula: it begins with `=`, `+`, `-`, `@`, a
    /// tab or a carriage return, and is not a plain decimal number.
    static func startsFormula(_ s: String) -> Bool {
        guard let first = s.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
        else { return false }
        return !isPlainNumber(s)
    }

    /// `-3`, `12`, `0.75`, `-1.5`: digits, at most one point between digits, a leading minus.
    static func isPlainNumber(_ s: String) -> Bool {
        let body = s.hasPrefix("-") ? Substring(s).dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }
    }
}
