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

    init(words: Words, excluded: [Bool], roles: [PassageReader.Role], compounds: [Range<Int>], guarded: Bool, stance: Bool) {
        self.words = words
        self.excluded = excluded
        self.roles = roles
        self.compounds = compounds
        self.guarded = guarded
        self.stance = stance
        sentenceCase = words.all.filter(\.capitalized).count * 2 < words.count || words.count < 6
    }

    /// The passage hands the decision back to the lead.
    let guarded: Bool
    /// The passage states the position taken (agrees or disagrees in words).
    let stance: Bool

    /// Whether the passage says something specific about the matter.
    var isSubstantive: Bool {
        let n = words.count
        let (anchored, cited) = anchoredWords()
        let quotes = quotesWording
        let anchors = cited + (quotes ? 1 : 0)
        if hasFact(anchored) { return true }
        // Beside a deferral only a fact, or a wording to put in, is specific: what a decision
        // handed back concerns ("đối với Điều 9, đề nghị Sở Y xem xét, quyết định") is no proposal.
        if guarded {
            return quotes && !Lexicon.markers(Lexicon.changes, in: words, 0..<n, compounds: compounds).isEmpty
        }
        let marked = mark(anchored)
        let content = marked.isContent.filter { $0 }.count
        let change = proposesChange(marked, anchored: anchored)
        // A reason or a criticism says why in words that are no boilerplate.
        // A reason that cites what the draft contradicts ("vì trái khoản 3 Điều 30 Luật …") says why.
        let citedReason = marked.reasons.contains { r in (r.upperBound..<min(n, r.upperBound + 3)).contains { anchored[$0] } }
        let afterReason = max(marked.reasons.map { marked.contentAfter($0.upperBound, clause: false, in: words) }.max() ?? 0,
                              citedReason ? 2 : 0)
        let critique = !marked.critiques.isEmpty
        // A passage that counts its points without saying them ("còn 05 nội dung … chưa khớp")
        // is specific only with a change it names.
        if marked.counted { return change }
        if anchors > 0 {
            let reviewOnly = !change && afterReason == 0 && !critique && asksOnlyForAReview
            return change || afterReason >= 2 || critique && content >= 2 || !reviewOnly && content >= 5
        }
        // In words alone: a change with what it changes; a reason that says why, for a change, a
        // request or the position taken; a criticism of the draft that says what is wrong — each
        // in words that are no boilerplate. Background that proposes nothing is no comment.
        let asks = !Lexicon.markers(Lexicon.requests, in: words, 0..<n, compounds: compounds).isEmpty
        let reasoned = afterReason >= 4 && (change || asks || stance)
        let criticises = critique && content >= 5 && marked.critiques.contains { r in
            Lexicon.draftSubjects.first(in: words, max(0, r.lowerBound - 4)..<r.lowerBound) != nil
        }
        return change && content >= 4 || reasoned || criticises
    }

    /// The words of a passage sorted for judging: which say nothing (boilerplate, what a number
    /// counts, a heading, a statement of purpose), which are content, and its markers.
    private struct Marked {
        var inPurpose: [Bool]
        var isContent: [Bool]
        var counted: Bool
        var changes: [Range<Int>]
        var reasons: [Range<Int>]
        var critiques: [Range<Int>]

        /// Content words from `k` on, to the end of the clause when `clause`.
        func contentAfter(_ k: Int, clause: Bool, in words: Words) -> Int {
            var count = 0
            var j = k
            while j < words.count {
                if isContent[j] { count += 1 }
                if clause && words[j].followed(by: ",;:") { break }
                j += 1
            }
            return count
        }
    }

    private func mark(_ anchored: [Bool]) -> Marked {
        let n = words.count
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
        return Marked(inPurpose: inPurpose, isContent: isContent, counted: counted, changes: changes,
                      reasons: reasons, critiques: critiques)
    }

    /// A change says what it changes: words of its own after it, or the part it removes or
    /// replaces right after it ("bỏ khoản 2"); "thay thế các biểu mẫu … cho phù hợp" does not.
    /// Named as a thing ("việc thay thế đèn … đã được triển khai") a change proposes nothing.
    private func proposesChange(_ marked: Marked, anchored: [Bool]) -> Bool {
        let n = words.count
        let change = marked.changes.contains { r in
            !(r.lowerBound > 0 && ["viec", "su", "the"].contains(words[r.lowerBound - 1].folded))
                && (marked.contentAfter(r.upperBound, clause: true, in: words) >= 1
                    || (r.upperBound..<min(n, r.upperBound + 2)).contains { anchored[$0] && !isLocation($0) })
        }
        if change { return true }
        // "bổ sung nguồn vốn ngân sách …" proposes something; "bổ sung cho phù hợp" does not.
        // Named as a thing ("việc điều chỉnh tỷ lệ … tùy cơ quan chủ trì") it proposes nothing.
        // Written with a capital it is a document ("Quy định quản lý …"), not a verb.
        return Lexicon.softChanges.all(in: words, 0..<n).contains { r in
            !excluded[r.lowerBound] && !marked.inPurpose[r.lowerBound] && !words[r.lowerBound].capitalized
                && !(r.lowerBound > 0 && ["viec", "su", "the"].contains(words[r.lowerBound - 1].folded))
                && marked.isContent[r.upperBound..<min(n, r.upperBound + 6)].filter({ $0 }).count >= 2
        }
    }

    /// A request whose verb is a review ("đề nghị rà soát …", "please review …") asks for nothing
    /// specific, whatever topic it names; a point that opens on such a verb continues a request
    /// made before it ("Rà soát …;").
    private var asksOnlyForAReview: Bool {
        let n = words.count
        return Lexicon.markers(Lexicon.requests, in: words, 0..<n, compounds: compounds).contains { r in
            Lexicon.reviewVerbs.first(in: words, r.upperBound..<min(n, r.upperBound + 4)) != nil
        } || Lexicon.reviewVerbs.prefix(of: words, 0..<n) != nil
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
}
