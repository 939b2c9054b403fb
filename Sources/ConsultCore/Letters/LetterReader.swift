/// Cuts a letter into its parts (``Letter/Part``): the frame of an official letter and its body.
///
/// It reads công văn as e-office systems export them — with or without diacritics, stacked or
/// two-column headers (cells split at tabs), typos the folding absorbs, lines hard-wrapped by a
/// pasted PDF, page numbers and running footers — and English letters alike. Text with no frame
/// at all (a one-line reply) is all body. Pure and total: any text gives a letter.
public struct LetterReader: Sendable {
    /// Names that may open the replier's own clause after the acknowledgement ("…, Sở Y tế có ý
    /// kiến như sau"): the declared agencies' codes, names and aliases.
    let names: PhraseList

    public init(names: PhraseList = PhraseList([])) { self.names = names }

    public func read(_ text: String) -> Letter {
        let all = Words(text)
        var cells = Self.cells(of: text, words: all)
        let header = headerEnd(&cells)
        let tail = tailStart(cells, after: header)
        var segments: [Letter.Segment] = []
        for i in cells.indices where i <= header || i >= tail {
            guard !cells[i].words.isEmpty || cells[i].kind == .rule else { continue }
            segments.append(Letter.Segment(part: framePart(cells[i], inHeader: i <= header), range: cells[i].range))
        }
        var passages: [Letter.Passage] = []
        for paragraph in paragraphs(cells, from: header + 1, to: tail, segments: &segments) {
            read(paragraph, in: all, segments: &segments, passages: &passages, opening: passages.isEmpty)
        }
        segments.sort { $0.range.lowerBound < $1.range.lowerBound }
        passages.sort { $0.range.lowerBound < $1.range.lowerBound }
        return Letter(text: text, words: all, segments: segments, passages: passages)
    }

    // MARK: - Cells

    /// A line, or one column of a line that tabs split: trimmed, with its words and its kind.
    struct Cell {
        let range: Range<String.Index>
        let words: Words
        let line: Int
        var kind: Kind
        let raw: Substring

        enum Kind: Equatable {
            case blank, rule, nationalHeader, number, placeAndDate, subject, salutation, recipients
            case signatureTitle, signed, stamp, pageNumber, text
        }

        /// Ends with sentence punctuation (a paragraph that a PDF did not wrap).
        var endsSentence: Bool {
            guard let last = raw.unicodeScalars.last else { return false }
            return ".;:!?".unicodeScalars.contains(last) || (last == ")" && raw.utf8.suffix(3).elementsEqual("/.)".utf8))
        }

        /// Starts a numbered or bulleted point: "1.", "2)", "a)", "II.", "-", "+", "•".
        var startsItem: Bool { LetterReader.itemMarkerLength(raw) > 0 }
    }

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
            // Tabs, pipes and spaces are ASCII: scan the line's bytes.
            let from = offset(lineRange.lowerBound)
            let to = offset(lineRange.upperBound)
            let gaps: [(Int, Int)] = Bytes.scan(text) { bytes in
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
                        if k - j >= 2 { gaps.append((j, -k)) }  // a run of spaces: decided below
                        j = k
                    } else {
                        j += 1
                    }
                }
                return gaps
            }
            for (gapStart, gapEnd) in gaps {
                if gapEnd < 0 {
                    let after = index(-gapEnd)
                    guard flattened || startsFramePart(text[after..<lineRange.upperBound], words: all),
                          !Self.midSentence(text[start..<index(gapStart)], text[after..<lineRange.upperBound]) else { continue }
                    pieces.append(start..<index(gapStart))
                    start = after
                } else {
                    // A tab inside a sentence ("không thuộc<TAB>thẩm quyền") or after a point's
                    // marker ("1.<TAB>Tại Điều 5") is a space, not a column's edge.
                    let before = text[start..<index(gapStart)]
                    if Self.midSentence(before, text[index(gapEnd)..<lineRange.upperBound]) {
                        continue
                    }
                    pieces.append(start..<index(gapStart))
                    start = index(gapEnd)
                }
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

    /// The text on both sides of a tab runs on as one sentence: a lower-case letter, a digit or a
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

    static func classify(_ raw: Substring, _ words: Words) -> Cell.Kind {
        let v = Vocabulary.self
        if words.isEmpty {
            return raw.count >= 3 && raw.allSatisfy({ "-_=*~.·•—–* ".contains($0) }) ? .rule : .blank
        }
        let all = 0..<words.count
        if v.nationalHeader.prefix(of: words, all) != nil { return .nationalHeader }
        if words.count <= 4 && isPageNumber(words, raw) { return .pageNumber }
        if v.stampLabels.prefix(of: words, all) != nil, raw.contains(":") { return .stamp }
        if v.contactLabels.prefix(of: words, all) != nil, raw.contains(":"), words.count <= 30 { return .pageNumber }
        if words.count <= 8, v.signedMarks.words.isSuperset(of: words.folded), raw.contains("(") || raw.contains("[") || words.count <= 3,
           words.folded.contains(where: { $0 == "ky" || $0 == "signed" }) {
            return .signed
        }
        let first = words[0].folded
        // Subjects and "To:" open with one of these letters: the prefixes are tried only then.
        let opener = raw.utf8.first.map { $0 | 0x20 } ?? 0
        func starts(_ prefixes: String...) -> Bool {
            "vrstc".utf8.contains(opener) && prefixes.contains { Self.hasPrefix(raw, $0) }
        }
        if (first == "so" || first == "no" || first == "ref") && words.count >= 2 && words.count <= 8 && words[1].isNumeral {
            return .number
        }
        if starts("v/v", "v.v", "re:", "subject:", "regarding:", "trích yếu", "re :") {
            return .subject
        }
        if v.salutation.prefix(of: words, all) != nil || starts("to:", "to :") {
            return .salutation
        }
        if v.recipients.prefix(of: words, all) != nil, words.count <= 12 || raw.contains(":") && words.count <= 60 { return .recipients }
        if isPlaceAndDate(words, raw) { return .placeAndDate }
        if isSignatureTitle(words, raw) { return .signatureTitle }
        return .text
    }

    /// Whether `raw` starts with `prefix` (ASCII letters in any case; others as written).
    static func hasPrefix(_ raw: Substring, _ prefix: String) -> Bool {
        var i = raw.unicodeScalars.startIndex
        for p in prefix.unicodeScalars {
            guard i < raw.unicodeScalars.endIndex else { return false }
            var c = raw.unicodeScalars[i]
            if c.value >= 0x41 && c.value <= 0x5A { c = Unicode.Scalar(c.value + 32)! }
            if c != p {
                guard !c.isASCII, c.isUpper, c.properties.lowercaseMapping.unicodeScalars.first == p else { return false }
            }
            i = raw.unicodeScalars.index(after: i)
        }
        return true
    }

    /// "2", "- 2 -", "Trang 2/3", "Page 2 of 3".
    static func isPageNumber(_ words: Words, _ raw: Substring) -> Bool {
        let f = words.folded
        if f.allSatisfy({ $0.first?.isNumber == true }) && f.count <= 2 {
            return raw.allSatisfy { $0.isNumber || " -/–—.()".contains($0) } && !raw.hasSuffix(".") || (f.count == 1 && raw.hasPrefix("-"))
        }
        if (f[0] == "trang" || f[0] == "page"), f.count >= 2, words[1].isNumeral {
            return f.dropFirst().allSatisfy { $0.first?.isNumber == true || $0 == "of" || $0 == "tren" }
        }
        return false
    }

    /// "Hà Nội, ngày 10 tháng 2 năm 2025", "Hanoi, 13 March 2025", "Ha Noi, October 16, 2025".
    static func isPlaceAndDate(_ words: Words, _ raw: Substring) -> Bool {
        guard words.count <= 14, let comma = raw.unicodeScalars.firstIndex(of: ","),
              raw.unicodeScalars.distance(from: raw.startIndex, to: comma) <= 30 else {
            return false
        }
        let f = words.folded
        if let d = f.firstIndex(of: "ngay"), f[d...].contains("thang") || (d + 1 < f.count && words[d + 1].isNumeral && words[d + 1].next == "/") {
            return true
        }
        let hasYear = words.all.contains { $0.isNumeral && $0.folded.count == 4 }
        return hasYear && f.contains(where: { Vocabulary.months.contains($0) })
    }

    static func isSignatureTitle(_ words: Words, _ raw: Substring) -> Bool {
        guard words.count <= 9 else { return false }
        let v = Vocabulary.self
        let f = words.folded
        guard f.contains(where: { v.titleCore.contains($0) }) else { return false }
        guard f.allSatisfy({ v.titleWords.contains($0) }) else { return false }
        let (letters, uppers) = Self.letterCase(raw)
        let mostlyCaps = letters > 0 && uppers * 10 >= letters * 7
        return mostlyCaps || v.titleLead.contains(f[0])
    }

    // MARK: - Zones

    /// The last cell of the header (up to the salutation and its list of addressees); -1 when
    /// the letter has no header. Classifies the header's cells.
    func headerEnd(_ cells: inout [Cell]) -> Int {
        if let s = cells.prefix(80).firstIndex(where: { $0.kind == .salutation }) {
            var end = s
            let onlySalutation = Vocabulary.salutation.isWhole(cells[s].words, 0..<cells[s].words.count)
            var k = s + 1
            while k < cells.count {
                let cell = cells[k]
                if cell.kind == .blank { if onlySalutation && end == s { k += 1; continue } else { break } }
                let bullet = cell.raw.first.map { "-+•–*".contains($0) } ?? false
                if (bullet || (onlySalutation && end == s)) && cell.words.count <= 14 {
                    cells[k].kind = .salutation
                    end = k
                    k += 1
                } else {
                    break
                }
            }
            for i in 0..<s where cells[i].kind == .text && i > 0 && cells[i - 1].kind == .subject && !Self.isIssuer(cells[i]) {
                cells[i].kind = .subject  // a subject wrapped over lines
            }
            return end
        }
        var end = -1
        var previous: Cell.Kind = .blank
        for (i, cell) in cells.enumerated() {
            switch cell.kind {
            case .blank, .rule, .nationalHeader, .number, .placeAndDate, .subject, .stamp:
                end = i
            case .text where previous == .subject && !cell.endsSentence && cell.words.count <= 25:
                cells[i].kind = .subject
                end = i
            case .text where Self.isIssuer(cell):
                end = i
            default:
                return trimBlank(cells, end)
            }
            if cell.kind != .blank { previous = cells[i].kind }
        }
        return trimBlank(cells, end)
    }

    private func trimBlank(_ cells: [Cell], _ end: Int) -> Int {
        var e = end
        while e >= 0 && cells[e].kind == .blank { e -= 1 }
        return e
    }

    /// An all-capitals line of a header: "UBND THÀNH PHỐ HÀ NỘI", "SỞ TÀI CHÍNH".
    static func isIssuer(_ cell: Cell) -> Bool {
        guard cell.words.count <= 14, cell.raw.utf8.last != 0x2E else { return false }
        let (letters, uppers) = Self.letterCase(cell.raw)
        return letters >= 3 && uppers * 10 >= letters * 8
    }

    /// How many letters a stretch has, and how many of them are capitals.
    static func letterCase(_ raw: Substring) -> (letters: Int, uppers: Int) {
        var letters = 0
        var uppers = 0
        for scalar in raw.unicodeScalars where scalar.isLetter {
            letters += 1
            if scalar.isUpper { uppers += 1 }
        }
        return (letters, uppers)
    }

    /// The first cell of the recipients and signature blocks.
    func tailStart(_ cells: [Cell], after header: Int) -> Int {
        var i = header + 1
        var sawBody = false
        while i < cells.count {
            switch cells[i].kind {
            case .recipients, .signatureTitle, .signed:
                return i
            case .stamp where sawBody:
                return i
            case .text:
                sawBody = true
            default:
                break
            }
            i += 1
        }
        return cells.count
    }

    func framePart(_ cell: Cell, inHeader: Bool) -> Letter.Part {
        switch cell.kind {
        case .nationalHeader, .rule: return .nationalHeader
        case .number: return .number
        case .placeAndDate: return .placeAndDate
        case .subject: return .subject
        case .salutation: return .salutation
        case .recipients: return .recipients
        case .signatureTitle, .signed, .stamp: return .signature
        case .pageNumber: return .footer
        case .blank, .text: return inHeader ? .issuer : .signature
        }
    }

    // MARK: - Paragraphs

    /// A paragraph of the middle of the letter: the cells a PDF's line wrapping split, joined.
    struct Paragraph {
        var pieces: [Range<String.Index>]
        var index: Int
    }

    func paragraphs(_ cells: [Cell], from start: Int, to end: Int, segments: inout [Letter.Segment]) -> [Paragraph] {
        guard start < end else { return [] }
        // A short line printed on several pages (a running header or footer) is no one's words.
        var seen: [UInt64: Int] = [:]
        for cell in cells where cell.kind == .text && cell.words.count <= 15 && !cell.endsSentence {
            seen[Self.lineKey(cell.words), default: 0] += 1
        }
        var result: [Paragraph] = []
        var current: [Range<String.Index>] = []
        var previous: Cell?
        func close() {
            if !current.isEmpty { result.append(Paragraph(pieces: current, index: result.count)) }
            current = []
        }
        for cell in cells[start..<end] {
            switch cell.kind {
            case .blank:
                close()
                previous = nil
                continue
            case .pageNumber, .rule, .nationalHeader, .number, .placeAndDate, .stamp, .subject:
                segments.append(Letter.Segment(part: cell.kind == .pageNumber ? .footer : framePart(cell, inHeader: true),
                                               range: cell.range))
                continue
            default:
                break
            }
            if cell.kind == .text && seen[Self.lineKey(cell.words), default: 0] >= 2 {
                segments.append(Letter.Segment(part: .footer, range: cell.range))
                continue
            }
            if let p = previous, !current.isEmpty, continues(p, with: cell) {
                current.append(cell.range)
            } else {
                close()
                current = [cell.range]
            }
            previous = cell
        }
        close()
        return result
    }

    /// A line's words as one key, to find lines printed on several pages.
    static func lineKey(_ words: Words) -> UInt64 {
        var key: UInt64 = 0xcbf2_9ce4_8422_2325
        for w in words.all { key = (key ^ w.key) &* 0x100_0000_01b3 }
        return key
    }

    /// Whether `next` carries on the paragraph of `previous` (a line a PDF wrapped).
    func continues(_ previous: Cell, with next: Cell) -> Bool {
        if previous.line == next.line || previous.endsSentence || next.startsItem { return false }
        guard let c = next.raw.first else { return false }
        if c.isLowercase || c.isNumber || "(“\"«'".contains(c) { return true }
        return previous.raw.count >= 55
    }

    /// How many characters of `raw` mark a numbered or bulleted point, spaces after it included.
    static func itemMarkerLength(_ raw: Substring) -> Int {
        let u = raw.unicodeScalars
        var i = u.startIndex
        guard i < u.endIndex else { return 0 }
        func isSpace(_ k: String.Index) -> Bool { u[k].isSpace }
        if "-+•–—*·".unicodeScalars.contains(u[i]) {
            i = u.index(after: i)
            guard i == u.endIndex || isSpace(i) || u[i].isLetter else { return 0 }
            while i < u.endIndex && isSpace(i) { i = u.index(after: i) }
            return u.distance(from: u.startIndex, to: i)
        }
        var j = i
        if u[j] == "(" { j = u.index(after: j) }
        let markStart = j
        var mark: [Unicode.Scalar] = []
        while j < u.endIndex && mark.count < 4 && (u[j].isLetter || ("0"..."9").contains(u[j])) {
            mark.append(u[j])
            j = u.index(after: j)
        }
        guard !mark.isEmpty, j < u.endIndex, u[j] == "." || u[j] == ")" || u[j] == "/" else { return 0 }
        _ = markStart
        let isNumber = mark.allSatisfy { ("0"..."9").contains($0) }
        let isLetter = mark.count == 1 && mark[0].isLetter
        let isRoman = mark.allSatisfy { "IVXivx".unicodeScalars.contains($0) }
        guard isNumber || isLetter || isRoman else { return 0 }
        if isLetter && !isRoman && u[j] == "." { return 0 }  // "A. Nguyễn": an initial, not a point
        if u[j] == "/" && !isNumber { return 0 }  // "1/ …" is a point; "V/ …" is not
        j = u.index(after: j)
        guard j == u.endIndex || isSpace(j) else { return 0 }
        while j < u.endIndex && isSpace(j) { j = u.index(after: j) }
        return u.distance(from: u.startIndex, to: j)
    }

    // MARK: - Sentences

    /// Reads one paragraph: its opening acknowledgement or legal basis, its closing formula and
    /// the passages of its body.
    func read(_ paragraph: Paragraph, in all: Words, segments: inout [Letter.Segment],
              passages: inout [Letter.Passage], opening: Bool) {
        let text = all.text
        var pieces = paragraph.pieces
        let marker = Self.itemMarkerLength(text[pieces[0]])
        if marker > 0 {
            pieces[0] = text.unicodeScalars.index(pieces[0].lowerBound, offsetBy: marker)..<pieces[0].upperBound
            if pieces[0].isEmpty { pieces.removeFirst() }
            if pieces.isEmpty { return }
        }
        let sentences = Self.sentences(pieces, in: text)
        let paragraphWords = all.within(pieces)
        let legalBasis = Vocabulary.legalBasis.prefix(of: paragraphWords, 0..<paragraphWords.count) != nil
        for (n, sentence) in sentences.enumerated() {
            let words = all.within(sentence)
            guard !words.isEmpty else { continue }
            var bodyStart = 0
            if legalBasis && Vocabulary.legalBasis.prefix(of: words, 0..<words.count) != nil {
                bodyStart = split(words, cue: true)
                mark(.legalBasis, words, 0, bodyStart, &segments)
            } else if opening && n == 0 && isOpening(words) {
                bodyStart = split(words, cue: true)
                mark(.opening, words, 0, bodyStart, &segments)
            }
            if bodyStart < words.count, let studied = studiedPrefix(words, from: bodyStart) {
                mark(.opening, words, bodyStart, studied, &segments)
                bodyStart = studied
            }
            guard bodyStart < words.count else { continue }
            if isClosing(words, from: bodyStart) {
                mark(.closing, words, bodyStart, words.count, &segments)
                continue
            }
            let from = words[bodyStart].range.lowerBound
            var pieces: [Range<String.Index>] = []
            for piece in sentence where piece.upperBound > from {
                let trimmed = Self.trimmed(max(piece.lowerBound, from)..<piece.upperBound, in: text)
                guard !trimmed.isEmpty else { continue }
                segments.append(Letter.Segment(part: .body, range: trimmed))
                pieces.append(trimmed)
            }
            if !pieces.isEmpty { passages.append(Letter.Passage(pieces: pieces)) }
        }
    }

    private func mark(_ part: Letter.Part, _ words: Words, _ from: Int, _ to: Int, _ segments: inout [Letter.Segment]) {
        guard from < to else { return }
        segments.append(Letter.Segment(part: part, range: words[from].range.lowerBound..<words[to - 1].range.upperBound))
    }

    static func trimmed(_ range: Range<String.Index>, in text: String) -> Range<String.Index> {
        let u = text.unicodeScalars
        var lo = range.lowerBound
        var hi = range.upperBound
        while lo < hi && u[lo].isSpace { lo = u.index(after: lo) }
        while hi > lo && u[u.index(before: hi)].isSpace { hi = u.index(before: hi) }
        return lo..<hi
    }

    /// Splits a paragraph's text into sentences, each as the pieces of text it spans. A
    /// sentence ends at '.', '!', '?' or ';' followed by a space (a '.' also needs what follows
    /// not to start in lower case, and not to close an abbreviation such as "No." or "TP.").
    static func sentences(_ pieces: [Range<String.Index>], in text: String) -> [[Range<String.Index>]] {
        let utf8 = text.utf8
        func offset(_ i: String.Index) -> Int { utf8.distance(from: utf8.startIndex, to: i) }
        func index(_ o: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: o) }
        var result: [[Range<String.Index>]] = []
        var current: [Range<String.Index>] = []
        var depth = 0
        for (p, piece) in pieces.enumerated() {
            let next = p + 1 < pieces.count ? pieces[p + 1] : nil
            // Brackets and sentence marks are ASCII, or “” «» (E2 80 9C/9D, C2 AB/BB): scan bytes.
            let marks: [(Int, UInt8)] = Bytes.scan(text) { bytes in
                var marks: [(Int, UInt8)] = []
                var i = offset(piece.lowerBound)
                let end = offset(piece.upperBound)
                while i < end {
                    let b = bytes[i]
                    switch b {
                    case 0x28, 0x29, 0x2E, 0x21, 0x3F, 0x3B, 0x3A: marks.append((i, b))
                    case 0xE2 where i + 2 < end && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0x9C || bytes[i + 2] == 0x9D):
                        marks.append((i, bytes[i + 2] == 0x9C ? 0x28 : 0x29))
                    case 0xC2 where i + 1 < end && (bytes[i + 1] == 0xAB || bytes[i + 1] == 0xBB):
                        marks.append((i, bytes[i + 1] == 0xAB ? 0x28 : 0x29))
                    default: break
                    }
                    i += 1
                }
                return marks
            }
            var start = piece.lowerBound
            for (at, mark) in marks {
                let i = index(at)
                guard i >= start else { continue }
                if mark == 0x28 { depth += 1; continue }
                if mark == 0x29 { if depth > 0 { depth -= 1 }; continue }
                let after = index(at + 1)
                guard depth == 0, isBoundary(at: i, after: after, piece: piece, next: next, text: text) else { continue }
                // "./." closes Vietnamese letters: one boundary.
                var end = after
                while end < piece.upperBound && (utf8[end] == 0x2E || utf8[end] == 0x2F) { end = utf8.index(after: end) }
                current.append(start..<end)
                result.append(current)
                current = []
                start = end
            }
            if start < piece.upperBound { current.append(start..<piece.upperBound) }
        }
        if !current.isEmpty { result.append(current) }
        return result.filter { s in
            s.contains { r in text.utf8[r].contains { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 >= 0xC3 } }
        }
    }

    private static func isBoundary(at i: String.Index, after: String.Index, piece: Range<String.Index>,
                                   next: Range<String.Index>?, text: String) -> Bool {
        let u = text.unicodeScalars
        let c = u[i]
        var j = after
        while j < piece.upperBound && ".)\"”»'/".unicodeScalars.contains(u[j]) { j = u.index(after: j) }
        if j < piece.upperBound && !u[j].isSpace { return false }
        // A colon ends a sentence only before a point typed on the same line ("…: 1. Tại Điều 2").
        if c == ":" { return startsPoint(at: j, piece: piece, text: text) }
        if c == ";" || c == "!" || c == "?" { return true }
        // The word before the full stop: an abbreviation or an initial does not end a sentence,
        // nor does a point's number ("1." after a colon or a sentence).
        var k = i
        while k > piece.lowerBound && u[u.index(before: k)].isLetter { k = u.index(before: k) }
        let before = String(u[k..<i]).lowercased()
        var d = i
        while d > piece.lowerBound && ("0"..."9").contains(u[u.index(before: d)]) { d = u.index(before: d) }
        if d < i && u.distance(from: d, to: i) <= 2 {
            var p = d
            while p > piece.lowerBound && u[u.index(before: p)].isSpace { p = u.index(before: p) }
            if p == piece.lowerBound || ".:;!?".unicodeScalars.contains(u[u.index(before: p)]) { return false }
        }
        if Vocabulary.abbreviations.contains(before) { return false }
        if before.unicodeScalars.count == 1 && u[k].isUpper { return false }
        // What follows: a sentence starts with a capital, a digit, a quote or a point's marker.
        var n = j
        while n < piece.upperBound && u[n].isSpace { n = u.index(after: n) }
        if n == piece.upperBound {
            guard let next else { return true }
            n = next.lowerBound
        }
        return !u[n].isLower
    }

    /// A point's marker typed inline after the space at `i`: "1.", "2)", "a)", "(3)", then a space.
    private static func startsPoint(at i: String.Index, piece: Range<String.Index>, text: String) -> Bool {
        let u = text.unicodeScalars
        var j = i
        while j < piece.upperBound && u[j].isSpace { j = u.index(after: j) }
        if j < piece.upperBound && u[j] == "(" { j = u.index(after: j) }
        let start = j
        while j < piece.upperBound && ("0"..."9").contains(u[j]) { j = u.index(after: j) }
        let digits = u.distance(from: start, to: j)
        if digits == 0, j < piece.upperBound, u[j].isLower { j = u.index(after: j) }
        let label = u.distance(from: start, to: j)
        guard label >= 1, digits <= 2, label <= 2, j < piece.upperBound, u[j] == "." || u[j] == ")" || u[j] == "/" && digits > 0
        else { return false }
        if u[j] == "." && digits == 0 { return false }
        let after = u.index(after: j)
        return after == piece.upperBound || u[after].isSpace
    }

    // MARK: - Openings, legal basis and closings

    /// The first sentence acknowledges the letter answered: "Phúc đáp Công văn số …", "Sở X
    /// nhận được …", "In reply to your letter No. …".
    func isOpening(_ words: Words) -> Bool {
        let v = Vocabulary.self
        if v.openingCues.prefix(of: words, 0..<words.count) != nil { return true }
        // "[X] – reply to your letter No. …", "[Sở X] trả lời Công văn số …".
        if let r = v.replyWords.first(in: words, 0..<min(words.count, 14)),
           v.letterNouns.first(in: words, r.upperBound..<min(words.count, r.upperBound + 4)) != nil {
            return true
        }
        // "[Sở X] (đã) nhận được Công văn/Văn bản …", "[X] has received your letter …".
        let head = 0..<min(words.count, 16)
        if let r = v.received.first(in: words, head), r.upperBound < words.count {
            return v.letterNouns.prefix(of: words, r.upperBound..<min(words.count, r.upperBound + 4)) != nil
                || v.letterNouns.prefix(of: words, (r.upperBound + 1)..<min(words.count, r.upperBound + 5)) != nil
        }
        return false
    }

    /// Where the reply's own words start in a sentence that opens with an acknowledgement or a
    /// legal basis: after the comma that a new subject follows ("…, Sở Tư pháp có ý kiến như
    /// sau", "…, sau khi nghiên cứu, …", "…, the Department of Health comments"). The whole
    /// sentence when no such comma exists.
    func split(_ words: Words, cue: Bool) -> Int {
        let v = Vocabulary.self
        // "Sau khi nghiên cứu, …" / "Qua nghiên cứu, …": what follows the comma is body.
        if let end = v.studied.prefix(of: words, 0..<words.count), end < words.count, words[end - 1].next == "," {
            return end
        }
        for k in 1..<max(1, words.count) where words[k - 1].next == "," {
            let rest = k..<words.count
            if names.prefix(of: words, rest) != nil || v.clauseStarts.prefix(of: words, rest) != nil { return k }
        }
        // "In reply to your letter No. 6088 of 8 October 2026: parking charges are not …".
        if let k = (1..<max(1, words.count)).first(where: { words[$0 - 1].next == ":" }), k >= 4 { return k }
        return words.count
    }

    /// "Sau khi nghiên cứu, …" at the start of a body sentence: the end of that prefix.
    func studiedPrefix(_ words: Words, from start: Int) -> Int? {
        guard let end = Vocabulary.studied.prefix(of: words, start..<words.count), end < words.count else { return nil }
        var k = end
        // "Sau khi nghiên cứu dự thảo, …": a few words may follow before the comma.
        while k < min(words.count, end + 4) {
            if words[k - 1].next == "," { return k }
            k += 1
        }
        return words[k - 1].next == "," && k < words.count ? k : nil
    }

    /// A closing formula: every word belongs to closings, to names of bodies or is a function
    /// word, and one anchors it ("Trên đây là …", "… tổng hợp", "Trân trọng", "Yours faithfully").
    /// A verb that hands the decision back ("xem xét", "quyết định") makes it body (a deferral).
    func isClosing(_ words: Words, from start: Int) -> Bool {
        let v = Vocabulary.self
        var anchored = false
        var i = start
        // Words of a name not declared ("Sở Tài nguyên và Môi trường"): a capital and what follows.
        var inName = 0
        while i < words.count {
            if let end = v.closingAnchors.match(in: words, at: i, end: words.count) {
                anchored = true
                i = end
                inName = 0
            } else if let end = names.match(in: words, at: i, end: words.count) {
                i = end
                inName = 0
            } else if let end = v.closingWords.match(in: words, at: i, end: words.count) {
                i = end
                inName = 0
            } else if !words[i].capitalized, v.decisionVerbs.match(in: words, at: i, end: words.count) != nil {
                return false
            } else if words[i].capitalized {
                i += 1
                inName = 3
            } else if inName > 0 {
                i += 1
                inName -= 1
            } else {
                return false
            }
        }
        return anchored
    }
}

extension Unicode.Scalar {
    /// White space, ASCII answered without the Unicode tables.
    var isSpace: Bool {
        if value < 0x80 { return value == 0x20 || (0x09...0x0D).contains(value) }
        return properties.isWhitespace
    }

    /// A letter of any script.
    var isLetter: Bool {
        if value < 0x80 { return (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }
        return properties.isAlphabetic
    }

    var isUpper: Bool {
        if value < 0x80 { return (0x41...0x5A).contains(value) }
        return properties.isUppercase
    }

    var isLower: Bool {
        if value < 0x80 { return (0x61...0x7A).contains(value) }
        return properties.isLowercase
    }
}

/// The UTF-8 bytes of a text, contiguous, for loops that look only for ASCII marks.
enum Bytes {
    static func scan<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body)!
    }
}
