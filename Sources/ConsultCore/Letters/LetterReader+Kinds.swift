/// What a cell of a letter is: a part of the frame (number, date, subject, salutation,
/// recipients, signature …), a page number, or text; and where a point's marker ends.
extension LetterReader {
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
        var mark: [Unicode.Scalar] = []
        while j < u.endIndex && mark.count < 4 && (u[j].isLetter || ("0"..."9").contains(u[j])) {
            mark.append(u[j])
            j = u.index(after: j)
        }
        guard !mark.isEmpty, j < u.endIndex, u[j] == "." || u[j] == ")" || u[j] == "/" else { return 0 }
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
}
