import ConsultCore

/// Header text: what a notice gives (any Unicode, controls included) made into header lines that
/// a reader decodes back to the same text, with no CR or LF of the notice's in them.
public enum HeaderText {
    /// A header line is at most this long, folds included (RFC 2047 §2: lines holding
    /// encoded-words at most 76; RFC 5322 §2.1.1 recommends 78).
    public static let lineLimit = 76
    /// An encoded-word is at most 75 characters (RFC 2047 §2).
    public static let encodedWordLimit = 75

    /// The text a header may carry: each line break (CR, LF, CR LF, NEL, U+2028, U+2029) and tab
    /// becomes a space — a title typed on two lines reads as one — and every other control
    /// (C0, DEL, C1, the bidirectional controls) a `?`, as in every other output of consultd.
    public static func sanitized(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        for c in text {
            if c == "\r\n" || c == "\n" || c == "\r" || c == "\t" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" {
                out.append(" ")
            } else if c.unicodeScalars.contains(where: Printable.isControl) {
                out.append("?")
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// The value of an unstructured header (`Subject`) for `name`: plain ASCII folded at spaces
    /// where it can be, else RFC 2047 encoded-words (`=?UTF-8?B?…?=`, each whole characters and at
    /// most 75 characters long) folded one per line. Folds are `\n ` (the message's serializer
    /// writes its line ending); the text is sanitized first (``sanitized(_:)``).
    public static func unstructured(_ text: String, name: String) -> String {
        let clean = sanitized(text)
        if let plain = plainFolded(clean, name: name) { return plain }
        return encodedWords(clean, firstBudget: lineLimit - name.utf8.count - 2).joined(separator: "\n ")
    }

    /// `text` folded at single spaces into lines of at most ``lineLimit``, when it can be sent
    /// as it is: printable ASCII, no `=?` (which a reader would take for an encoded-word), no
    /// leading, trailing or doubled space (which unfolding would not give back), and no word too
    /// long for a line.
    static func plainFolded(_ text: String, name: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), !text.contains("=?"), !text.hasPrefix(" "),
              !text.hasSuffix(" "), !text.contains("  ") else { return nil }
        var lines: [String] = []
        var line = ""
        var room = lineLimit - name.utf8.count - 2
        for word in text.split(separator: " ") {
            guard word.utf8.count <= (line.isEmpty && lines.isEmpty ? room : lineLimit - 1) else { return nil }
            if line.isEmpty && lines.isEmpty {
                line = String(word)
            } else if line.utf8.count + 1 + word.utf8.count <= room {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
                room = lineLimit - 1
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n ")
    }

    /// `text` as RFC 2047 B-encoded UTF-8 words: the first at most `firstBudget` characters long
    /// (what is left of the header's first line), the others at most 75. A word ends between
    /// characters (grapheme clusters, so a letter and its combining marks stay together; a
    /// cluster too long for one word is cut between its code points, never inside one).
    public static func encodedWords(_ text: String, firstBudget: Int = encodedWordLimit) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        var budget = max(firstBudget, 16)
        func capacity(_ budget: Int) -> Int { (min(budget, encodedWordLimit) - 12) / 4 * 3 }
        func flush() {
            words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
            chunk = []
            budget = encodedWordLimit
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count <= capacity(budget) {
                chunk += bytes
                continue
            }
            if !chunk.isEmpty { flush() }
            if bytes.count <= capacity(budget) {
                chunk = bytes
                continue
            }
            for scalar in character.unicodeScalars {
                let scalarBytes = Array(String(scalar).utf8)
                if !chunk.isEmpty && chunk.count + scalarBytes.count > capacity(budget) { flush() }
                chunk += scalarBytes
            }
        }
        if !chunk.isEmpty || words.isEmpty { flush() }
        return words
    }

    /// A display name as an RFC 5322 phrase: as it is when it is atoms separated by spaces, a
    /// quoted string when it is other printable ASCII, encoded-words otherwise.
    public static func phrase(_ name: String, firstBudget: Int = encodedWordLimit) -> String {
        let clean = sanitized(name)
        let bytes = Array(clean.utf8)
        if !bytes.isEmpty, bytes.allSatisfy({ MailAddress.isAtext($0) || $0 == 0x20 }), !clean.hasPrefix(" "),
           !clean.hasSuffix(" "), !clean.contains("  "), !clean.contains("=?") {
            return clean
        }
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), !clean.contains("=?") {
            var quoted = "\""
            for c in clean {
                if c == "\"" || c == "\\" { quoted.append("\\") }
                quoted.append(c)
            }
            return quoted + "\""
        }
        return encodedWords(clean, firstBudget: firstBudget).joined(separator: "\n ")
    }

    /// Addresses for `To`/`Cc`, separated by commas and folded between addresses.
    static func addressList(_ addresses: [String], name: String) -> String {
        var lines: [String] = []
        var line = ""
        var room = lineLimit - name.utf8.count - 2
        for (i, address) in addresses.enumerated() {
            let item = address + (i < addresses.count - 1 ? "," : "")
            if line.isEmpty {
                line = item
            } else if line.utf8.count + 1 + item.utf8.count <= room {
                line += " " + item
            } else {
                lines.append(line)
                line = item
                room = lineLimit - 1
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n ")
    }
}

/// RFC 4648 base64, the alphabet of RFC 2047's B encoding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Text from a notice or the configuration, quoted safely in an error message.
enum MailText {
    /// A notice's body as a message carries it: lines end in LF (a CR LF pair is one line end),
    /// tabs stay, and every other control (ESC, BEL, a lone CR, C1, bidirectional controls) that
    /// a document's title or text carried into the notice is shown as `?` — a mail client or a
    /// terminal would otherwise act on it once the quoted-printable is undone.
    static func body(_ text: String) -> String { Printable.text(text, keepingNewlines: true, keepingTabs: true) }

    /// `text` with controls as `?`, cut to `limit` characters (with `…`).
    static func shown(_ text: String, limit: Int) -> String {
        let printable = Printable.text(text)
        return printable.count > limit ? String(printable.prefix(limit)) + "…" : printable
    }

    /// A byte named for a reader: `"x"`, or `a space`, or its code.
    static func describe(_ b: UInt8) -> String {
        if b == 0x20 { return "a space" }
        if b > 0x20 && b < 0x7F { return "\"\(Character(Unicode.Scalar(b)))\"" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }
}
