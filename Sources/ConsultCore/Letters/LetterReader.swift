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
            if !current.isEmpty { result.append(Paragraph(pieces: current)) }
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
                bodyStart = split(words)
                mark(.legalBasis, words, 0, bodyStart, &segments)
            } else if opening && n == 0 && isOpening(words) {
                bodyStart = split(words)
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

}
