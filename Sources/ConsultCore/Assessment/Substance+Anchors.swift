/// What a passage anchors its words to — citations, bodies and places named, quoted wordings —
/// and the facts it states.
extension Substance {
    /// The words that anchor a comment: citations of the draft or of an instrument, and bodies
    /// or places named (not the city, the state or a kind of document); and how many anchors.
    func anchoredWords() -> (anchored: [Bool], anchors: Int) {
        let n = words.count
        var anchored = [Bool](repeating: false, count: n)
        var anchors = 0
        var i = 0
        while i < n {
            if !excluded[i], let end = citation(at: i) {
                for k in i..<end { anchored[k] = true }
                anchors += 1
                i = end
                continue
            }
            // A capitalised name of no particular thing ("Hà Nội", "Phương án"): no anchor.
            // The Government, the National Assembly: competent for much, a fact of nothing.
            if let end = Lexicon.genericCapitalized.match(in: words, at: i, end: n), words[i].capitalized || words[i].allCaps,
               roles[i] != .otherBody || Lexicon.uniqueBodies.match(in: words, at: i, end: n) != nil {
                i = end
                continue
            }
            if !excluded[i], let end = namedThing(at: i) {
                for k in i..<end { anchored[k] = true }
                anchors += 1
                i = end
            } else {
                i += 1
            }
        }
        return (anchored, anchors)
    }

    /// "Điều 5", "khoản 2 Điều 12", "Mục IV.1", "Phụ lục 02", "Article 9(3)", "Nghị định số
    /// 147/2020/NĐ-CP", "Luật Đất đai 2024", "Decree 15": where the citation ends.
    func citation(at i: Int) -> Int? {
        let n = words.count
        if let e = Lexicon.draftParts.match(in: words, at: i, end: n), e < n {
            var k = e
            if ["so", "no"].contains(words[k].folded), k + 1 < n { k += 1 }
            let w = words[k]
            let lettered = w.folded.count == 1 && w.folded.first!.isLetter && !Lexicon.functionWords.contains(w)
            // A Roman numeral is written in capitals ("Mục VI"); "danh mục vị trí" is a list.
            let roman = w.isRoman && (w.allCaps || w.capitalized && w.folded.count == 1)
            if w.isNumeral || roman || lettered {
                return continuation(from: k + 1)
            }
            // "Phụ lục danh sách công trình": an annex named rather than numbered.
            if words[i].folded == "phu", !excluded[k] { return k + 1 }
            return nil
        }
        if let e = Lexicon.instruments.match(in: words, at: i, end: n), e < n {
            var k = e
            if ["so", "no"].contains(words[k].folded), k + 1 < n { k += 1 }
            let w = words[k]
            if w.isNumeral && (w.joined && w.next == "/" || !Self.plans.contains(words[i].folded)) {
                return continuation(from: k + 1)
            }
            // "Luật Đất đai", "Law on Land": an instrument named by its title.
            if words[i].capitalized && !Self.plans.contains(words[i].folded) {
                var t = e
                if t < n && ["on", "of", "ve"].contains(words[t].folded) { t += 1 }
                if t < n && words[t].capitalized && Lexicon.genericCapitalized.match(in: words, at: t, end: n) == nil { return t + 1 }
            }
        }
        return nil
    }

    /// Instruments that are also the drafts consulted on: a year after them is their title's.
    static let plans: Set<String> = ["ke", "plan", "scheme"]

    /// The words of a reference joined to the cited number ("IV.1", "9(3)", "147/2020/NĐ-CP")
    /// and the cited part's name in brackets after it ("Điều 2 (đối tượng áp dụng)").
    func continuation(from k: Int) -> Int {
        var e = k
        while e < words.count && words[e - 1].joined && words[e - 1].followed(by: "./-()")
            && (words[e].isNumeral || words[e].isRoman || words[e].folded.count <= 3 || words[e].allCaps) {
            e += 1
        }
        // A list of parts: "Điều 2, 3, 4 và 9", "Articles 5 to 7".
        while e < words.count {
            if words[e - 1].followed(by: ","), words[e].isNumeral {
                e += 1
            } else if ["va", "and", "or", "hoac", "den", "to", "through"].contains(words[e].folded), e + 1 < words.count,
                      words[e + 1].isNumeral, !words[e - 1].followed(by: ".;:") {
                e += 2
            } else {
                break
            }
        }
        let text = words.text
        var i = words[e - 1].range.upperBound
        while i < text.endIndex && text[i] == " " { i = text.index(after: i) }
        if i < text.endIndex && text[i] == "(", let close = text[i...].firstIndex(of: ")") {
            while e < words.count && words[e].range.upperBound <= close { e += 1 }
        }
        return e
    }

    /// A body other than the replier and the lead, or a place or thing named with capitals in
    /// the middle of a sentence ("xã Tiền Phong", "bệnh viện Bạch Mai").
    func namedThing(at i: Int) -> Int? {
        if roles[i] == .otherBody {
            var e = i
            while e < words.count && roles[e] == .otherBody { e += 1 }
            return e
        }
        // Two capitalised words or more in a row, in the middle of a sentence written in
        // sentence case ("xã Tiền Phong", "bệnh viện Bạch Mai", "the To Lich river"); a single
        // capitalised word is too often a document's kind or a title's word to tell.
        guard i > 0, !(words[i - 1].followed(by: ".:!?\n")), isNameWord(i), i + 1 < words.count, isNameWord(i + 1) else {
            return nil
        }
        guard sentenceCase else { return nil }
        var e = i + 2
        while e < words.count && isNameWord(e) { e += 1 }
        return e
    }

    /// A word that may belong to a proper name: capitalised, no numeral, no function word, no
    /// generic name, not a short abbreviation ("KH&CN", "AI").
    func isNameWord(_ k: Int) -> Bool {
        let w = words[k]
        guard w.capitalized, !w.isNumeral, !excluded[k], !Lexicon.functionWords.contains(w),
              Lexicon.genericCapitalized.match(in: words, at: k, end: words.count) == nil else { return false }
        return !(w.allCaps && w.folded.utf8.count <= 4)
    }

    /// A wording quoted from the draft or proposed for it: “…”, "…", «…» of two words or more,
    /// not all of them excluded. The words themselves mark the quotes: a word right after an
    /// opening mark starts one, a word right before a closing mark ends it.
    var quotesWording: Bool {
        let n = words.count
        guard n >= 2 else { return false }
        let u = words.text.unicodeScalars
        var openAt: Int?
        for k in 0..<n {
            let start = words[k].range.lowerBound
            if start > words.text.startIndex {
                let before = u[u.index(before: start)]
                if before == "“" || before == "«" || before == "\"" && openAt == nil { openAt = k }
            }
            if let o = openAt, let next = words[k].next, next == "”" || next == "»" || next == "\"" && k > o {
                if (o...k).filter({ !excluded[$0] }).count >= 2 { return true }
                openAt = nil
            }
        }
        return false
    }

    /// An amount, a rate, a duration or a date the passage states: a number not cited, not
    /// counting items ("03 nội dung"), not a bare year of a title.
    func hasFact(_ anchored: [Bool]) -> Bool {
        let n = words.count
        // A number says something of something: numbers alone ("1 2 3") state no fact.
        guard (0..<n).contains(where: { !words[$0].isNumeral && !excluded[$0] && !Lexicon.functionWords.contains(words[$0]) }) else {
            return false
        }
        for i in 0..<n where !excluded[i] && !anchored[i] {
            let w = words[i]
            if !w.isNumeral {
                // "quý IV/2026", "third quarter", "Q3".
                if w.folded == "quy", i + 1 < n, words[i + 1].isRoman, !excluded[i + 1] { return true }
                if w.folded == "quarter", i > 0, ["first", "second", "third", "fourth", "last"].contains(words[i - 1].folded) { return true }
                continue
            }
            if isEnumeration(i) { continue }
            if isCount(i) { continue }
            // "100% of the draft", "100% nội dung dự thảo": how much of the draft, not a rate.
            if w.next == "%", Lexicon.draftSubjects.first(in: words, (i + 1)..<min(n, i + 5)) != nil { continue }
            if isBareYear(i) {
                let before = (max(0, i - 2)..<i).map { words[$0].folded }
                if !before.contains(where: { Lexicon.yearPrepositions.contains($0) }) { continue }
            }
            return true
        }
        return false
    }

    /// "(1)", "(i)" inside a passage, or "1." / "2)" opening a point typed on the same line as
    /// the text before it: a point's number.
    func isEnumeration(_ i: Int) -> Bool {
        let w = words[i]
        guard w.folded.utf8.count <= 2, let mark = w.next, mark == ")" || mark == "." || mark == "/" || mark == ":" else { return false }
        let text = words.text
        if mark == ")", w.range.lowerBound > text.startIndex, text[text.index(before: w.range.lowerBound)] == "(" { return true }
        // The mark must end the token ("1.5", "3.000", "15/02" are numbers) and the number open a
        // sentence; "1/ " is a point's number wherever it stands, "5:" only at the start.
        let after = text.unicodeScalars.index(after: w.range.upperBound)
        guard after == text.endIndex || text.unicodeScalars[after].properties.isWhitespace else { return false }
        if mark == "/" { return true }
        guard i > 0 else { return true }
        guard mark != ":" else { return false }
        let previous = words[i - 1]
        return previous.followed(by: ".:;!?") || previous.isNumeral && previous.folded.utf8.count <= 2 && previous.next == ")"
    }

    /// "03 nội dung", "27 articles", "2 minor points": a number of items, with at most one word
    /// between the number and what it counts.
    func isCount(_ i: Int) -> Bool {
        let n = words.count
        guard i + 1 < n else { return false }
        if Lexicon.countNouns.match(in: words, at: i + 1, end: n) != nil { return true }
        let between = words[i + 1]
        return i + 2 < n && !between.isNumeral && !between.capitalized && !words[i].followed(by: ",;:.")
            && Lexicon.countNouns.match(in: words, at: i + 2, end: n) != nil
    }

    /// "2025", "2026-2030": a year alone, or a period of years.
    func isBareYear(_ i: Int) -> Bool {
        let w = words[i]
        guard w.folded.count == 4, let y = Int(w.folded), (1900...2100).contains(y) else { return false }
        if i > 0, words[i - 1].joined, words[i - 1].next == "/" { return false }  // the year of a date
        if w.joined, w.next == "/" { return false }
        return true
    }
}
