/// Text from outside — a document's fields, a file's name — made safe to print where a reader
/// trusts what they see: a terminal, a line of a log, a status line. Control characters would
/// let that text move the cursor, recolour or clear the screen (ESC, CSI), start a line of its
/// own that looks like ours (CR, LF, NEL, U+2028), or reorder what is shown (the bidirectional
/// controls: "exe.txt" displayed for "txt.exe").
public enum Printable {
    /// Whether `u` is such a control: C0 (ESC included), DEL, C1, a bidirectional control
    /// (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), or the line and paragraph
    /// separators U+2028 and U+2029.
    @inlinable
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        // Unicode's Bidi_Control set, spelt out: a property lookup per letter would slow tables
        // of a hundred thousand Vietnamese rows.
        if v < 0x61C || v > 0x2069 { return false }
        return v == 0x61C || v == 0x200E || v == 0x200F || (0x2028...0x202E).contains(v) || v >= 0x2066
    }

    /// `text` with every character that holds a control shown as `?` (a CR LF pair is one
    /// character, so one `?`). With `keepingNewlines`, LF stays and CR LF becomes LF (for formats
    /// whose fields may span lines, like a quoted CSV field); with `keepingTabs`, tabs stay.
    public static func text(_ text: String, keepingNewlines: Bool = false, keepingTabs: Bool = false) -> String {
        // The common case, plain printable ASCII or text without controls, is returned as it is.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        func kept(_ u: Unicode.Scalar) -> Bool { (keepingNewlines && u == "\n") || (keepingTabs && u == "\t") }
        if !text.unicodeScalars.contains(where: { isControl($0) && !kept($0) }) { return text }
        func safe(_ c: Character) -> Character? {
            if keepingNewlines && (c == "\n" || c == "\r\n") { return "\n" }
            if keepingTabs && c == "\t" { return c }
            return c.unicodeScalars.contains(where: isControl) ? nil : c
        }
        return String(text.map { safe($0) ?? "?" })
    }
}
