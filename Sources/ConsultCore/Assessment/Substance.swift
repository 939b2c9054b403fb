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
    /// The compounds in the passage that hold a marker's word without its sense.
    let compounds: [Range<Int>]
    /// Fewer than half the words are capitalised: names stand out.
    let sentenceCase: Bool

    init(words: Words, excluded: [Bool], roles: [PassageReader.Role], guarded: Bool, stance: Bool) {
        self.words = words
        self.excluded = excluded
        self.roles = roles
        self.guarded = guarded
        self.stance = stance
        compounds = Lexicon.compounds.all(in: words, 0..<words.count)
        sentenceCase = words.all.filter(\.capitalized).count * 2 < words.count || words.count < 6
    }

    /// The passage hands the decision back to the lead.
    let guarded: Bool
    /// The passage states the position taken (agrees or disagrees in words).
    let stance: Bool

    var isSubstantive: Bool { explain(describing: false).substantive }

    /// The decision and, when `describing`, what led to it (for tests and diagnosis).
    func explain(describing: Bool = true) -> (substantive: Bool, why: String) {
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
        let quotes = quotesWording
        if quotes { anchors += 1 }
        if hasFact(anchored) { return (true, "fact") }
        // Beside a deferral only a fact, or a wording to put in, is specific: what a decision
        // handed back concerns ("đối với Điều 9, đề nghị Sở Y xem xét, quyết định") is no proposal.
        if guarded {
            let rewords = quotes && !Lexicon.markers(Lexicon.changes, in: words, 0..<n, compounds: compounds).isEmpty
            return (rewords, rewords ? "a wording to put in" : "a decision handed back, no fact")
        }

        let boilerplate = Lexicon.boilerplate.all(in: words, 0..<n)
        var generic = anchored
        for r in boilerplate { for k in r { generic[k] = true } }
        // What a number counts ("04 thủ tục hành chính", "05 groups of norms") is no content either.
        var counted = false
        for k in 0..<n where words[k].isNumeral && k + 1 < n && !excluded[k] && !anchored[k] {
            if let e = Lexicon.countNouns.match(in: words, at: k + 1, end: n) {
                counted = true
                var end = e
                if end + 1 < n, ["of", "cua"].contains(words[end].folded) { end = min(n, end + 2) }
                for j in (k + 1)..<end { generic[j] = true }
            }
        }
        // A heading ("Về X:", "Đối với X,", "Regarding X,") names the topic, not a proposal.
        for k in 0..<topicEnd() { generic[k] = true }
        // A statement of purpose runs to the end of its sentence: goals are no proposal.
        var inPurpose = [Bool](repeating: false, count: n)
        if let purpose = purposeStart() { for k in purpose..<purposeEnd(from: purpose) { generic[k] = true; inPurpose[k] = true } }
        let changes = markers(Lexicon.changes, &generic, boilerplate: boilerplate, purpose: inPurpose)
        let reasons = markers(Lexicon.reasons, &generic, boilerplate: boilerplate, purpose: inPurpose)
        let critiques = markers(Lexicon.critiques, &generic, boilerplate: boilerplate, purpose: inPurpose)
        var isContent = [Bool](repeating: false, count: n)
        for k in 0..<n where !excluded[k] && !generic[k] && !words[k].isNumeral && !Lexicon.functionWords.contains(words[k])
            && words[k].folded.count >= 2 {
            isContent[k] = true
        }
        let content = isContent.filter { $0 }.count
        func contentAfter(_ k: Int, clause: Bool) -> Int {
            var count = 0
            var j = k
            while j < n {
                if isContent[j] { count += 1 }
                if clause && words[j].followed(by: ",;:") { break }
                j += 1
            }
            return count
        }
        // A change says what it changes: words of its own after it, or the part it removes or
        // replaces right after it ("bỏ khoản 2"); "thay thế các biểu mẫu … cho phù hợp" does not.
        // Named as a thing ("việc thay thế đèn … đã được triển khai") a change proposes nothing.
        var change = changes.contains { r in
            !(r.lowerBound > 0 && ["viec", "su", "the"].contains(words[r.lowerBound - 1].folded)) && (contentAfter(r.upperBound, clause: true) >= 1
                || (r.upperBound..<min(n, r.upperBound + 2)).contains { anchored[$0] && !isLocation($0) })
        }
        // "bổ sung nguồn vốn ngân sách …" proposes something; "bổ sung cho phù hợp" does not.
        // Named as a thing ("việc điều chỉnh tỷ lệ … tùy cơ quan chủ trì") it proposes nothing.
        // Written with a capital it is a document ("Quy định quản lý …"), not a verb.
        for r in Lexicon.softChanges.all(in: words, 0..<n) where !excluded[r.lowerBound] && !inPurpose[r.lowerBound]
            && !words[r.lowerBound].capitalized
            && !(r.lowerBound > 0 && ["viec", "su", "the"].contains(words[r.lowerBound - 1].folded)) {
            if isContent[r.upperBound..<min(n, r.upperBound + 6)].filter({ $0 }).count >= 2 { change = true }
        }
        // A reason or a criticism says why in words that are no boilerplate.
        // A reason that cites what the draft contradicts ("vì trái khoản 3 Điều 30 Luật …") says why.
        let citedReason = reasons.contains { r in (r.upperBound..<min(n, r.upperBound + 3)).contains { anchored[$0] } }
        let afterReason = max(reasons.map { contentAfter($0.upperBound, clause: false) }.max() ?? 0, citedReason ? 2 : 0)
        let critique = !critiques.isEmpty
        // A request whose verb is a review ("đề nghị rà soát …", "please review …") asks for
        // nothing specific, whatever topic it names; a point that opens on such a verb continues
        // a request made before it ("Rà soát …;").
        let reviewOnly = !change && afterReason == 0 && !critique
            && (Lexicon.markers(Lexicon.requests, in: words, 0..<n, compounds: compounds).contains { r in
                Lexicon.reviewVerbs.first(in: words, r.upperBound..<min(n, r.upperBound + 4)) != nil
            } || Lexicon.reviewVerbs.prefix(of: words, 0..<n) != nil)
        let why = describing ? "anchors \(anchors) change \(change) afterReason \(afterReason) critique \(critique) reviewOnly \(reviewOnly) content \((0..<n).filter { isContent[$0] }.map { words[$0].folded })" : ""
        // A passage that counts its points without saying them ("còn 05 nội dung … chưa khớp")
        // is specific only with a change it names.
        if counted { return (change, why) }
        if anchors > 0 {
            return (change || afterReason >= 2 || critique && content >= 2 || !reviewOnly && content >= 5, why)
        }
        // In words alone: a change with what it changes; a reason that says why, for a change, a
        // request or the position taken; a criticism of the draft that says what is wrong — each
        // in words that are no boilerplate. Background that proposes nothing is no comment.
        let asks = !Lexicon.markers(Lexicon.requests, in: words, 0..<n, compounds: compounds).isEmpty
        let reasoned = afterReason >= 4 && (change || asks || stance)
        let criticises = critique && content >= 5 && critiques.contains { r in
            Lexicon.draftSubjects.first(in: words, max(0, r.lowerBound - 4)..<r.lowerBound) != nil
        }
        return (change && content >= 4 || reasoned || criticises, why)
    }

    /// The end of a heading that opens the passage: "Về X:", "Đối với X,", "Regarding X,".
    private func topicEnd() -> Int {
        guard Lexicon.topics.prefix(of: words, 0..<words.count) != nil else { return 0 }
        for k in 0..<min(words.count, 25) where words[k].followed(by: ",:") { return k + 1 }
        return 0
    }

    /// A citation that says where ("tại Mục II", "in Annex 2"), not what is changed.
    private func isLocation(_ k: Int) -> Bool {
        var j = k
        while j > 0 && anchoredStart(j) == false { j -= 1 }
        guard j > 0 else { return false }
        return ["tai", "o", "in", "at", "of", "trong", "cua", "theo"].contains(words[j - 1].folded)
    }

    private func anchoredStart(_ k: Int) -> Bool { citation(at: k) != nil || roles[k] == .otherBody }

    /// Where a statement of purpose opens a clause ("…, bảo đảm hài hòa …", "… to ensure …").
    private func purposeStart() -> Int? {
        for r in Lexicon.purposes.all(in: words, 0..<words.count) where r.lowerBound > 0 {
            let before = words[r.lowerBound - 1]
            let clauseStart = before.followed(by: ",;:")
            if clauseStart || ["va", "and", "de", "nham", "to"].contains(before.folded) || r.count > 1 && words[r.lowerBound].folded == "de" {
                return r.lowerBound
            }
        }
        return nil
    }

    /// Where a statement of purpose ends: its sentence's end, or a clause that goes on to say
    /// what is proposed ("…, cụ thể thay cụm từ …", "…, specifically …", "…; đề nghị bổ sung …").
    private func purposeEnd(from start: Int) -> Int {
        let n = words.count
        var k = start
        while k < n - 1 {
            if words[k].followed(by: ",;:"), Lexicon.specifics.match(in: words, at: k + 1, end: n) != nil {
                return k + 1
            }
            k += 1
        }
        return n
    }

    /// The markers of the list outside the excluded words, a statement of purpose and any
    /// boilerplate phrase ("bỏ" folds like the "bổ" of "bổ sung"); their words are no content.
    private func markers(_ list: PhraseList, _ generic: inout [Bool], boilerplate: [Range<Int>], purpose: [Bool]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        for r in Lexicon.markers(list, in: words, 0..<words.count, compounds: compounds) where !excluded[r.lowerBound] {
            if boilerplate.contains(where: { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound }) { continue }
            if purpose[r.lowerBound] { continue }
            found.append(r)
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
                if t < n && words[t].capitalized && Lexicon.genericCapitalized.match(in: words, at: t, end: n) == nil { return t + 1 }
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
    private func namedThing(at i: Int) -> Int? {
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
    private func isNameWord(_ k: Int) -> Bool {
        let w = words[k]
        guard w.capitalized, !w.isNumeral, !excluded[k], !Lexicon.functionWords.contains(w),
              Lexicon.genericCapitalized.match(in: words, at: k, end: words.count) == nil else { return false }
        return !(w.allCaps && w.folded.utf8.count <= 4)
    }

    /// A wording quoted from the draft or proposed for it: “…”, "…", «…» of two words or more,
    /// not all of them excluded. The words themselves mark the quotes: a word right after an
    /// opening mark starts one, a word right before a closing mark ends it.
    private var quotesWording: Bool {
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
    private func hasFact(_ anchored: [Bool]) -> Bool {
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
    private func isEnumeration(_ i: Int) -> Bool {
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
    private func isCount(_ i: Int) -> Bool {
        let n = words.count
        guard i + 1 < n else { return false }
        if Lexicon.countNouns.match(in: words, at: i + 1, end: n) != nil { return true }
        let between = words[i + 1]
        return i + 2 < n && !between.isNumeral && !between.capitalized && !words[i].followed(by: ",;:.")
            && Lexicon.countNouns.match(in: words, at: i + 2, end: n) != nil
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
