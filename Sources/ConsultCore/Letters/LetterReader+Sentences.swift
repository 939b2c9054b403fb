/// The sentences of a paragraph, and the formulas that open and close a letter's body.
extension LetterReader {
    /// `range` without the white space at its ends.
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

    /// A point's marker typed inline after the space at `i`, then a space: a number of one or
    /// two digits or a lower-case letter ("1.", "2)", "3/", "a)", "(b)"), never "i." or "- ".
    private static func startsPoint(at i: String.Index, piece: Range<String.Index>, text: String) -> Bool {
        let u = text.unicodeScalars
        var j = i
        while j < piece.upperBound && u[j].isSpace { j = u.index(after: j) }
        let rest = text[j..<piece.upperBound]
        guard itemMarkerLength(rest) > 0 else { return false }
        let mark = rest.unicodeScalars.drop { $0 == "(" }.prefix { $0.isLetter || ("0"..."9").contains($0) }
        guard let first = mark.first, mark.count <= 2 else { return false }
        if mark.allSatisfy({ ("0"..."9").contains($0) }) { return true }
        let after = mark.endIndex < rest.unicodeScalars.endIndex ? rest.unicodeScalars[mark.endIndex] : " "
        return mark.count == 1 && first.isLower && after == ")"
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
    func split(_ words: Words) -> Int {
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
            } else if let end = draftReference(words, at: i) {
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

    /// A reference to the draft in a closing ("về dự thảo Quy chế quản lý cây xanh đường phố",
    /// "đối với Đề án …", "on the draft Regulation …"): its title says nothing of a position and
    /// runs, commas and all, to "đề nghị"/"gửi"/"please"/"for" or to the end. Its end, or nil when
    /// it is none — or when a word of it takes a position or hands back a decision, which keeps the
    /// sentence in the body.
    func draftReference(_ words: Words, at i: Int) -> Int? {
        let v = Vocabulary.self
        let all = words.count
        guard let pointer = v.draftPointers.match(in: words, at: i, end: all), pointer < all,
              v.draftNouns.match(in: words, at: pointer, end: all) != nil || words[pointer].capitalized else { return nil }
        var k = pointer
        while k < all, v.referenceEnds.match(in: words, at: k, end: all) == nil {
            if v.stances.match(in: words, at: k, end: all) != nil || v.decisionVerbs.match(in: words, at: k, end: all) != nil {
                return nil
            }
            k += 1
        }
        return k
    }
}
