/// Whether a passage says something specific about the matter (contract §5): a concrete fact (an
/// amount, a rate, a date); a citation of the draft or of a legal instrument, a quoted wording or
/// a named body or place, with what to change or why; or, without them, a concrete change or
/// reason in words of its own. Never a count of items, the letter's own references, the names of
/// the lead or the replier, the draft's title, or the vocabulary of boilerplate.
struct Substance {
    let words: Words
    /// Words that can never be substance (names of lead and replier, references, the title,
    /// the words of a hedge, a deferral or a disclaimer).
    let excluded: [Bool]
    let roles: [PassageReader.Role]
    /// The passage hands the decision back to the lead.
    var guarded = false

    var isSubstantive: Bool { explain().substantive }

    /// The decision and what led to it (for tests and the lab).
    func explain() -> (substantive: Bool, why: String) {
        let n = words.count
        var anchored = [Bool](repeating: false, count: n)
        var anchors = 0
        var i = 0
        while i < n {
            if !excluded[i], let end = citation(at: i) ?? namedThing(at: i) {
                for k in i..<end { anchored[k] = true }
                anchors += 1
                i = end
            } else {
                i += 1
            }
        }
        if quotesWording { anchors += 1 }
        if hasFact(anchored) { return (true, "fact") }

        let boilerplate = Lexicon.boilerplate.all(in: words, 0..<n)
        var generic = anchored
        for r in boilerplate { for k in r { generic[k] = true } }
        var change = marker(Lexicon.changes, &generic, boilerplate: boilerplate)
        let reason = marker(Lexicon.reasons, &generic, boilerplate: boilerplate)
        let critique = marker(Lexicon.critiques, &generic, boilerplate: boilerplate)
        var isContent = [Bool](repeating: false, count: n)
        for k in 0..<n where !excluded[k] && !generic[k] && !words[k].isNumeral && !Lexicon.functionWords.contains(words[k])
            && words[k].folded.count >= 2 {
            isContent[k] = true
        }
        let content = isContent.filter { $0 }.count
        // "bổ sung nguồn vốn ngân sách …" proposes something; "bổ sung cho phù hợp" does not.
        // Named as a thing ("việc điều chỉnh tỷ lệ … tùy cơ quan chủ trì") it proposes nothing.
        for r in Lexicon.softChanges.all(in: words, 0..<n) where !excluded[r.lowerBound]
            && !(r.lowerBound > 0 && ["viec", "su", "the"].contains(words[r.lowerBound - 1].folded)) {
            if isContent[r.upperBound..<min(n, r.upperBound + 6)].filter({ $0 }).count >= 2 { change = true }
        }
        // A request whose verb is a review ("đề nghị rà soát …", "please review …") asks for
        // nothing specific, whatever topic it names.
        // A point that opens on such a verb continues a request made before it ("Rà soát …;").
        let reviewOnly = !change && !reason && !critique
            && (Lexicon.markers(Lexicon.requests, in: words, 0..<n).contains { r in
                Lexicon.reviewVerbs.first(in: words, r.upperBound..<min(n, r.upperBound + 4)) != nil
            } || Lexicon.reviewVerbs.prefix(of: words, 0..<n) != nil)
        let why = "anchors \(anchors) change \(change) reason \(reason) critique \(critique) reviewOnly \(reviewOnly) content \((0..<n).filter { isContent[$0] }.map { words[$0].folded })"
        // Beside a deferral only a citation with what to change, or a fact, is specific:
        // the topic of a decision handed back ("đối với X, đề nghị Sở Y xem xét") is no proposal.
        if guarded { return (anchors > 0 && (change || reason || critique), why) }
        if anchors > 0 {
            return (change || (reason || critique) && content >= 1 || !reviewOnly && content >= 3, why)
        }
        return ((change || reason || critique) && content >= 4, why)
    }

    /// Whether a marker of the list stands outside the excluded words and is no part of a
    /// boilerplate phrase ("bỏ" folds like the "bổ" of "bổ sung"); its words are no content.
    private func marker(_ list: PhraseList, _ generic: inout [Bool], boilerplate: [Range<Int>]) -> Bool {
        var found = false
        for r in Lexicon.markers(list, in: words, 0..<words.count) where !excluded[r.lowerBound] {
            if boilerplate.contains(where: { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }) { continue }
            found = true
            for k in r { generic[k] = true }
        }
        return found
    }

    /// "Điều 5", "khoản 2 Điều 12", "Mục IV.1", "Phụ lục 02", "Article 9(3)", "Nghị định số
    /// 147/2020/NĐ-CP", "Luật Đất đai 2024", "Decree 15": where the citation ends.
    private func citation(at i: Int) -> Int? {
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
                if t < n && words[t].capitalized && !Lexicon.genericCapitalized.contains(words[t]) { return t + 1 }
            }
        }
        return nil
    }

    /// Instruments that are also the drafts consulted on: a year after them is their title's.
    private static let plans: Set<String> = ["ke", "plan", "scheme"]

    /// The words of a reference joined to the cited number ("IV.1", "9(3)", "147/2020/NĐ-CP")
    /// and the cited part's name in brackets after it ("Điều 2 (đối tượng áp dụng)").
    private func continuation(from k: Int) -> Int {
        var e = k
        while e < words.count && words[e - 1].joined && "./-()".contains(words[e - 1].next!)
            && (words[e].isNumeral || words[e].isRoman || words[e].folded.count <= 3 || words[e].allCaps) {
            e += 1
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
    private func namedThing(at i: Int) -> Int? {
        if roles[i] == .otherBody {
            var e = i
            while e < words.count && roles[e] == .otherBody { e += 1 }
            return e
        }
        let w = words[i]
        guard i > 0, w.capitalized, !w.isNumeral, !Lexicon.genericCapitalized.contains(w), !Lexicon.functionWords.contains(w),
              !(words[i - 1].next.map { ".:!?\n".contains($0) } ?? false) else { return nil }
        let sentenceCase = words.words.filter { $0.capitalized }.count * 2 < words.count || words.count < 6
        guard sentenceCase else { return nil }
        return i + 1
    }

    /// A wording quoted from the draft or proposed for it: “…”, "…", «…» of two words or more.
    private var quotesWording: Bool {
        let text = words.text
        guard let first = words.words.first, let last = words.words.last else { return false }
        let span = text[first.range.lowerBound..<last.range.upperBound]
        var open: String.Index?
        for i in span.indices {
            let c = span[i]
            if c == "“" || c == "«" || (c == "\"" && open == nil) {
                open = i
            } else if let o = open, c == "”" || c == "»" || c == "\"" {
                let own = words.words.indices.filter { k in
                    words[k].range.lowerBound > o && words[k].range.upperBound <= i && !excluded[k]
                }
                if own.count >= 2 { return true }
                open = nil
            }
        }
        return false
    }

    /// An amount, a rate, a duration or a date the passage states: a number not cited, not
    /// counting items ("03 nội dung"), not a bare year of a title.
    private func hasFact(_ anchored: [Bool]) -> Bool {
        let n = words.count
        for i in 0..<n where !excluded[i] && !anchored[i] {
            let w = words[i]
            if !w.isNumeral {
                // "quý IV/2026", "third quarter", "Q3".
                if w.folded == "quy", i + 1 < n, words[i + 1].isRoman, !excluded[i + 1] { return true }
                if w.folded == "quarter", i > 0, ["first", "second", "third", "fourth", "last"].contains(words[i - 1].folded) { return true }
                continue
            }
            if isEnumeration(i) { continue }
            if i + 1 < n, Lexicon.countNouns.contains(words[i + 1]) || i + 2 < n && countNoun(at: i + 1) { continue }
            if isBareYear(i) {
                let before = words.words[max(0, i - 2)..<i].map(\.folded)
                if !before.contains(where: { Lexicon.yearPrepositions.contains($0) }) { continue }
            }
            return true
        }
        return false
    }

    private func countNoun(at k: Int) -> Bool {
        Lexicon.countNouns.contains(words[k].folded + " " + words[k + 1].folded)
            || Lexicon.countNouns.contains(words[k]) && !excluded[k]
    }

    /// "(1)", "(i)" inside a passage: a point's number.
    private func isEnumeration(_ i: Int) -> Bool {
        let w = words[i]
        guard w.next == ")", w.folded.count <= 2 else { return false }
        let text = words.text
        return w.range.lowerBound > text.startIndex && text[text.index(before: w.range.lowerBound)] == "("
    }

    /// "2025", "2026-2030": a year alone, or a period of years.
    private func isBareYear(_ i: Int) -> Bool {
        let w = words[i]
        guard w.folded.count == 4, let y = Int(w.folded), (1900...2100).contains(y) else { return false }
        if i > 0, words[i - 1].joined, words[i - 1].next == "/" { return false }  // the year of a date
        if w.joined, w.next == "/" { return false }
        return true
    }
}
