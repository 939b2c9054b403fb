/// Renders rows as an aligned terminal table. Widths are display widths (a Vietnamese letter with
/// its marks is one column, a CJK ideograph two), and control characters in cells are shown as
/// `?`, so a document's title can neither break the layout nor send escape sequences.
public enum TextTable {
    public static func render(header: [String], rows: [[String]], maxWidth: Int = 48) -> String {
        let cells = ([header] + rows).map { $0.map { clip(sanitize($0), to: maxWidth) } }
        var widths = [Int](repeating: 0, count: header.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        return cells.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - displayWidth(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Columns a string occupies in a terminal.
    public static func displayWidth(_ s: String) -> Int {
        s.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of c: Character) -> Int {
        guard let first = c.unicodeScalars.first else { return 0 }
        let v = first.value
        if (0x200B...0x200F).contains(v) || v == 0x2060 || v == 0xFEFF { return 0 }
        if c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .enclosingMark }) {
            return 0
        }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// Replaces control characters (C0, DEL, C1, bidi overrides) with `?`.
    public static func sanitize(_ s: String) -> String {
        String(s.map { c -> Character in
            let dangerous = c.unicodeScalars.contains { u in
                u.value < 0x20 || (0x7F...0x9F).contains(u.value) || (0x202A...0x202E).contains(u.value)
                    || (0x2066...0x2069).contains(u.value)
            }
            return dangerous ? "?" : c
        })
    }

    static func clip(_ s: String, to limit: Int) -> String {
        guard displayWidth(s) > limit else { return s }
        var out = ""
        var used = 0
        for c in s {
            let w = width(of: c)
            if used + w > limit - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }
}

/// RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break.
public enum CSV {
    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    public static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
