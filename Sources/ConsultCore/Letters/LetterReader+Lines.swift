/// The cells of a letter: its lines, each split into the columns a two-column header or a
/// flattened export made.
extension LetterReader {
    /// The cells of a text: lines (at line breaks, and HTML's `<br>`, `<p>`, `<div>` left by an
    /// export), each split into columns at tabs, at " | ", and at a run of spaces before a part of
    /// the frame (two columns of a header; a letter flattened onto one line).
    static func cells(of text: String, words all: Words) -> [Cell] {
        var cells: [Cell] = []
        var line = 0
        let lines = lines(of: text)
        // A letter flattened onto a line or two: every run of spaces separates its parts.
        let flattened = lines.count <= 2 && text.utf8.count >= 200 && Self.doubleSpaces(text) >= 3
        let utf8 = text.utf8
        func offset(_ i: String.Index) -> Int { utf8.distance(from: utf8.startIndex, to: i) }
        func index(_ o: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: o) }
        for lineRange in lines {
            var pieces: [Range<String.Index>] = []
            var start = lineRange.lowerBound
            let gaps = Self.gaps(in: text, from: offset(lineRange.lowerBound), to: offset(lineRange.upperBound))
            for (gapStart, gapEnd) in gaps {
                let run = gapEnd < 0
                let after = index(run ? -gapEnd : gapEnd)
                let rest = text[after..<lineRange.upperBound]
                // A run of spaces parts columns only before a part of the frame, or in a letter
                // flattened onto a line; neither a run nor a tab does inside a sentence
                // ("không thuộc<TAB>thẩm quyền", "Điều  5") or after a point's marker.
                if run && !(flattened || startsFramePart(rest, words: all)) { continue }
                if Self.midSentence(text[start..<index(gapStart)], rest) { continue }
                pieces.append(start..<index(gapStart))
                start = after
            }
            pieces.append(start..<lineRange.upperBound)
            var any = false
            var queue = pieces[...]
            while let piece = queue.popFirst() {
                guard let cell = cell(text, piece, line: line, words: all) else { continue }
                if cell.kind == .salutation, let split = salutationEnd(cell, in: text) {
                    queue.insert(split..<cell.range.upperBound, at: queue.startIndex)
                    if let head = self.cell(text, cell.range.lowerBound..<split, line: line, words: all) { cells.append(head) }
                    any = true
                    continue
                }
                cells.append(cell)
                any = true
            }
            if !any {
                let end = lineRange.upperBound
                cells.append(Cell(range: end..<end, words: all.within(end..<end), line: line, kind: .blank, raw: ""))
            }
            line += 1
        }
        return cells
    }

    /// Where a line (bytes `from..<to` of `text`) may part into columns: each tab, each " |", and
    /// each run of two spaces or more (its end negated: whether it parts is decided by what follows).
    static func gaps(in text: String, from: Int, to: Int) -> [(Int, Int)] {
        // Tabs, pipes and spaces are ASCII: scan the line's bytes.
        Bytes.scan(text) { bytes in
            var gaps: [(Int, Int)] = []
            var j = from
            while j < to {
                let c = bytes[j]
                if c == 0x09 || (c == 0x7C && j > from && bytes[j - 1] == 0x20) {
                    gaps.append((j, j + 1))
                    j += 1
                } else if c == 0x20 {
                    var k = j
                    while k < to && bytes[k] == 0x20 { k += 1 }
                    if k - j >= 2 { gaps.append((j, -k)) }
                    j = k
                } else {
                    j += 1
                }
            }
            return gaps
        }
    }

    /// The text on both sides of a gap runs on as one sentence: a lower-case letter, a digit or a
    /// comma before and a lower-case letter or a digit after ("Điều<TAB>5", "5,<TAB>6"), or only a
    /// point's marker before.
    static func midSentence(_ before: Substring, _ after: Substring) -> Bool {
        let trimmed = before.drop { $0 == " " || $0 == "\t" }
        if !trimmed.isEmpty, itemMarkerLength(trimmed) == trimmed.unicodeScalars.count { return true }
        guard let last = before.unicodeScalars.last(where: { !$0.isSpace }),
              let first = after.unicodeScalars.first(where: { !$0.isSpace }) else { return false }
        let digit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        return (last.isLower || last == "," || digit(last)) && (first.isLower || digit(first) && !digit(last))
            || last == "," && digit(first)
    }

    private static func cell(_ text: String, _ range: Range<String.Index>, line: Int, words all: Words) -> Cell? {
        let u = text.unicodeScalars
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi && (u[lo].isSpace || u[lo] == "|") { lo = u.index(after: lo) }
        while hi > lo && (u[u.index(before: hi)].isSpace || u[u.index(before: hi)] == "|") { hi = u.index(before: hi) }
        guard lo < hi else { return nil }
        let words = all.within(lo..<hi)
        let raw = text[lo..<hi]
        return Cell(range: lo..<hi, words: words, line: line, kind: classify(raw, words), raw: raw)
    }

    /// A salutation that runs on into the letter on the same line ("Kinh gui: So Y te. So Noi vu
    /// nhan duoc …"): where the addressee's sentence ends and the next begins, if it does.
    static func salutationEnd(_ cell: Cell, in text: String) -> String.Index? {
        let u = text.unicodeScalars
        var i = cell.range.lowerBound
        while i < cell.range.upperBound {
            // At a full stop only: "Kính gửi: Sở Xây dựng; Sở Tư pháp" lists its addressees.
            if u[i] == "." {
                var j = u.index(after: i)
                guard j < cell.range.upperBound, u[j].isSpace else { i = u.index(after: i); continue }
                while j < cell.range.upperBound && u[j].isSpace { j = u.index(after: j) }
                if j < cell.range.upperBound && u[j].isUpper && u.distance(from: cell.range.lowerBound, to: j) >= 12 { return j }
            }
            i = u.index(after: i)
        }
        return nil
    }

    /// How many runs of two spaces or more a text has.
    static func doubleSpaces(_ text: String) -> Int {
        var runs = 0
        var spaces = 0
        for byte in text.utf8 {
            if byte == 0x20 {
                spaces += 1
                if spaces == 2 { runs += 1 }
            } else {
                spaces = 0
            }
        }
        return runs
    }

    /// The lines of a text: at line breaks, and at the HTML tags that break lines.
    static func lines(of text: String) -> [Range<String.Index>] {
        // Every line break and tag opener is ASCII, or U+2028 (E2 80 A8): scan the bytes.
        let utf8 = text.utf8
        let breaks: [(Int, Int)] = Bytes.scan(text) { bytes in
            var breaks: [(Int, Int)] = []
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x0A || b == 0x0C {
                    breaks.append((i, i + 1))
                } else if b == 0x0D {
                    let end = i + 1 < bytes.count && bytes[i + 1] == 0x0A ? i + 2 : i + 1
                    breaks.append((i, end))
                    i = end
                    continue
                } else if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 {
                    breaks.append((i, i + 3))
                    i += 3
                    continue
                } else if b == 0x3C {
                    breaks.append((i, -1))  // a tag, perhaps: decided below
                }
                i += 1
            }
            return breaks
        }
        var result: [Range<String.Index>] = []
        var start = text.startIndex
        for (at, end) in breaks {
            let i = utf8.index(utf8.startIndex, offsetBy: at)
            guard i >= start else { continue }
            if end >= 0 {
                result.append(start..<i)
                start = utf8.index(utf8.startIndex, offsetBy: end)
            } else if let tagEnd = Words.tagEnd(text, at: i), Self.breakingTags.contains(Words.tagName(text, i..<tagEnd)) {
                result.append(start..<i)
                start = tagEnd
            }
        }
        result.append(start..<text.endIndex)
        return result
    }

    static let breakingTags: Set<String> = ["br", "p", "div", "li", "tr", "hr"]

    /// Whether what follows two spaces on a line opens a part of a letter's frame.
    private static func startsFramePart(_ rest: Substring, words all: Words) -> Bool {
        let utf8 = rest.utf8
        var end = utf8.startIndex
        var spaces = 0
        while end < utf8.endIndex {
            if utf8[end] == 0x20 { spaces += 1; if spaces == 2 { break } } else { spaces = 0 }
            end = utf8.index(after: end)
        }
        let segment = rest[rest.startIndex..<end]
        let words = all.within(segment.startIndex..<segment.endIndex)
        guard !words.isEmpty else { return false }
        let kind = classify(segment, words)
        if kind != .text { return true }
        let all = 0..<words.count
        let v = Vocabulary.self
        return v.openingCues.prefix(of: words, all) != nil || v.closingAnchors.prefix(of: words, all) != nil
            || v.legalBasis.prefix(of: words, all) != nil || segment.hasPrefix("- ")
            || words.count >= 2 && { let c = letterCase(segment); return c.letters == c.uppers }()
    }

}
