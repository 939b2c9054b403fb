/// Reads passages in the context of one reply: who replies, who leads, what the draft is called.
struct PassageReader {
    let book: PhraseBook
    let names: BodyNames
    let replier: String
    let lead: String?
    /// Runs of three folded words from the letter's subject line, its acknowledgement and the
    /// request's title: the draft's own name, which is no substance when repeated in the body.
    let titleTrigrams: Set<UInt64>

    /// What each word is, beside being a word: part of a name, of a letter's reference, of the
    /// draft's title.
    enum Role: Equatable {
        case plain, replier, lead, otherBody, letterReference, title
    }

    func read(_ words: Words, range: Range<String.Index>) -> Reading {
        var reading = Reading(words: words, range: range)
        guard !words.isEmpty else { return reading }
        let n = words.count
        var roles = [Role](repeating: .plain, count: n)
        let bodies = markBodies(words, &roles)
        markLetterReferences(words, &roles)
        markTitle(words, &roles)

        reading.hedge = book.hedges.first(in: words, 0..<n)
        reading.deferral = deferral(words, roles)
        reading.disclaimer = disclaimer(words, roles)
        reading.namesCompetentBody = competentBody(words, roles, bodies)
        (reading.agrees, reading.disagrees) = position(words, roles)
        markDraftNamed(words, &roles)
        reading.promisesLater = Lexicon.later.first(in: words, 0..<n) != nil
        reading.noPosition = reading.promisesLater || Lexicon.noPosition.first(in: words, 0..<n) != nil
        let noObjection = Lexicon.noObjection.all(in: words, 0..<n)
        let outside: (Range<Int>) -> Bool = { r in !noObjection.contains { $0.overlaps(r) } }
        let compounds = Lexicon.compounds.all(in: words, 0..<n)
        reading.isComment = Lexicon.markers(Lexicon.requests, in: words, 0..<n, compounds: compounds).contains(where: outside)
            || Lexicon.markers(Lexicon.critiques, in: words, 0..<n, compounds: compounds).contains(where: outside)
        var excluded = roles.map { $0 != .plain && $0 != .otherBody }
        for r in [reading.hedge, reading.deferral, reading.disclaimer].compactMap({ $0 }) + noObjection {
            for k in r { excluded[k] = true }
        }
        let substance = Substance(words: words, excluded: excluded, roles: roles, compounds: compounds,
                                  guarded: reading.deferral != nil, stance: reading.agrees || reading.disagrees)
        // Praise of the draft ("được chuẩn bị công phu") takes no position and asks for nothing.
        let praiseOnly = reading.noPosition && !reading.isComment
        reading.substantive = !reading.promisesLater && !praiseOnly && substance.isSubstantive
        return reading
    }

    // MARK: Roles

    /// Marks every body named, declared or not; returns them.
    private func markBodies(_ words: Words, _ roles: inout [Role]) -> [NamedBody] {
        var found: [NamedBody] = []
        var i = 0
        while i < words.count {
            if let body = names.body(words, at: i, end: words.count) {
                // A short form of the replier's or the lead's name ("Công an Thành phố" for "Công an
                // thành phố Hà Nội") is still them.
                let code = body.code ?? [replier, lead].compactMap { $0 }.first { names.isShortForm(of: $0, words, body.words) }
                let role: Role = code == replier ? .replier : (code != nil && code == lead ? .lead : .otherBody)
                for k in body.words { roles[k] = role }
                found.append(body)
                i = body.words.upperBound
            } else {
                i += 1
            }
        }
        return found
    }

    /// "Công văn số 123/SXD-QLN ngày 20/01/2025 của Sở Xây dựng", "your letter No. 45 of 3 May":
    /// the letter being answered, or another, is never substance.
    private func markLetterReferences(_ words: Words, _ roles: inout [Role]) {
        var i = 0
        while i < words.count {
            guard let nounEnd = Lexicon.letters.match(in: words, at: i, end: words.count) else { i += 1; continue }
            var k = nounEnd
            if k < words.count, ["so", "no", "number", "ref"].contains(words[k].folded) { k += 1 }
            guard k < words.count, words[k].isNumeral else { i = nounEnd; continue }
            while k < words.count && (words[k].isNumeral || k > nounEnd && words[k - 1].joined && words[k - 1].followed(by: "/-.")) {
                k += 1
                if !words[k - 1].joined || !words[k - 1].followed(by: "/-.") { break }
            }
            // "… ngày 20/01/2025", "… of 6 May 2025", "… dated 7 November 2025".
            if k < words.count, ["ngay", "of", "dated", "dd"].contains(words[k].folded) {
                var d = k + 1
                while d < words.count && d < k + 5 && (words[d].isNumeral || Lexicon.months.contains(words[d])
                                                        || ["thang", "nam"].contains(words[d].folded)) { d += 1 }
                if d > k + 1 { k = d }
            }
            for j in i..<k where roles[j] == .plain { roles[j] = .letterReference }
            i = k
        }
        markSymbols(words, &roles)
    }

    /// A document's number and symbol standing alone ("880/SNV-ATLĐ ngày 07/4/2026"): a reference,
    /// unless a kind of instrument or a part of the draft names it (then it is cited).
    private func markSymbols(_ words: Words, _ roles: inout [Role]) {
        let n = words.count
        var i = 0
        while i < n {
            guard words[i].isNumeral, words[i].followed(by: "/"), i + 1 < n, words[i + 1].allCaps, roles[i] == .plain else {
                i += 1
                continue
            }
            let cited = (max(0, i - 3)..<i).contains { k in
                Lexicon.instruments.match(in: words, at: k, end: i) != nil || Lexicon.draftParts.match(in: words, at: k, end: i) != nil
            }
            var k = i + 1
            while k < n && words[k - 1].joined && words[k - 1].followed(by: "/-.") { k += 1 }
            if k < n, ["ngay", "of", "dated"].contains(words[k].folded) {
                var d = k + 1
                while d < n && d < k + 5 && (words[d].isNumeral || Lexicon.months.contains(words[d])
                                            || ["thang", "nam"].contains(words[d].folded)) { d += 1 }
                if d > k + 1 { k = d }
            }
            if !cited { for j in i..<k where roles[j] == .plain { roles[j] = .letterReference } }
            i = k
        }
    }

    private func markTitle(_ words: Words, _ roles: inout [Role]) {
        guard !titleTrigrams.isEmpty, words.count >= 3 else { return }
        for i in 0...(words.count - 3) {
            if titleTrigrams.contains(Assessor.trigram(words, i)) {
                for k in i..<(i + 3) where roles[k] == .plain { roles[k] = .title }
            }
        }
    }

    /// "… thống nhất với dự thảo Quyết định ban hành Quy chế …", "agrees with the draft Plan
    /// for …": after the position, the draft is named; its name is no substance, to the clause's end.
    private func markDraftNamed(_ words: Words, _ roles: inout [Role]) {
        let n = words.count
        for r in Lexicon.agree.all(in: words, 0..<n) + Lexicon.disagree.all(in: words, 0..<n) {
            var k = r.upperBound
            if k < n, ["voi", "with", "ve", "on", "to"].contains(words[k].folded) { k += 1 }
            guard let draft = Lexicon.draftSubjects.prefix(of: words, k..<n) else { continue }
            var e = draft
            while e < n && !words[e - 1].followed(by: ",;:") && roles[e] != .otherBody { e += 1 }
            for j in k..<e where roles[j] == .plain { roles[j] = .title }
        }
    }
}
