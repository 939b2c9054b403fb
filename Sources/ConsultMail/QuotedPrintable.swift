/// Quoted-printable (RFC 2045 §6.7) for a text/plain body: any text in, lines of at most 76
/// characters out, decoding to the same text byte for byte.
public enum QuotedPrintable {
    /// Encoded lines are at most this long, the soft break's `=` included.
    public static let lineLimit = 76

    /// `text`'s UTF-8 encoded, lines separated by `\n` (the serializer writes its line ending).
    ///
    /// A LF of the text is a line break; anything else that is not printable ASCII — a CR
    /// included, so no bare CR reaches the message — is `=XX`, and so is a space or tab at the
    /// end of a line. A line's leading `.` and the `F` of a leading `From ` are encoded too, so
    /// that neither an SMTP hop nor an mbox writer alters them. A long line is cut with soft
    /// breaks between characters, never inside a character's `=XX` run, so each line is valid
    /// UTF-8 on its own. A text that does not end in LF ends in a soft break, so that decoding
    /// adds no line feed.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        let lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "\n")) }
            encodeLine(Array(line), into: &out)
        }
        if !text.utf8.isEmpty && text.utf8.last != UInt8(ascii: "\n") {
            out += Array("=\n".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func encodeLine(_ line: [UInt8], into out: inout [UInt8]) {
        var length = 0
        var i = 0
        while i < line.count {
            // One character: a UTF-8 sequence is kept whole (a stray byte stands alone).
            let width = sequenceLength(line, at: i)
            var piece = encoded(line, i..<(i + width), atLineStart: length == 0)
            // Room for the piece and, unless the line ends with it, a soft break after it.
            let ends = i + width == line.count
            if length > 0 && length + piece.count + (ends ? 0 : 1) > lineLimit {
                out += [UInt8(ascii: "="), UInt8(ascii: "\n")]
                length = 0
                piece = encoded(line, i..<(i + width), atLineStart: true)
            }
            out += piece
            length += piece.count
            i += width
        }
    }

    /// The bytes `range` of `line` as they are written: literal, or `=XX` each. At the start of
    /// an encoded line (the line's own, or after a soft break) a `.` and the `F` of `From ` are
    /// encoded.
    private static func encoded(_ line: [UInt8], _ range: Range<Int>, atLineStart: Bool) -> [UInt8] {
        var piece: [UInt8] = []
        for position in range {
            let byte = line[position]
            let first = atLineStart && position == range.lowerBound
            let guarded = first && (byte == UInt8(ascii: ".") || line[position...].starts(with: Array("From ".utf8)))
            let literal = (byte == 0x20 || byte == 0x09) ? position != line.count - 1
                : (byte >= 0x21 && byte <= 0x7E && byte != UInt8(ascii: "=") && !guarded)
            if literal {
                piece.append(byte)
            } else {
                piece += [UInt8(ascii: "="), hex(byte >> 4), hex(byte & 0x0F)]
            }
        }
        return piece
    }

    /// The length of the UTF-8 sequence at `i` when it is valid and whole, else 1.
    private static func sequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let first = bytes[i]
        let length = first < 0x80 ? 1 : first >> 5 == 0b110 ? 2 : first >> 4 == 0b1110 ? 3 : first >> 3 == 0b11110 ? 4 : 1
        guard length > 1, i + length <= bytes.count,
              bytes[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return 1 }
        return length
    }

    private static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
