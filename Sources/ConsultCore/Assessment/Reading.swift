/// What one passage of a reply says: the position it takes, whether it hedges, hands the
/// decision back, disclaims the replier's remit, names a competent body, asks for something,
/// and whether it says anything specific. Each finding keeps the words that produced it.
struct Reading {
    let words: Words
    /// The passage as written.
    let range: Range<String.Index>
    var agrees = false
    var disagrees = false
    var noPosition = false
    var hedge: Range<Int>?
    var deferral: Range<Int>?
    var disclaimer: Range<Int>?
    var namesCompetentBody: Range<Int>?
    /// Asks for a change or criticises the draft (whether specifically or not).
    var isComment = false
    /// Promises an answer later ("sẽ có ý kiến sau", "will revert in due course"): no comment yet.
    var promisesLater = false
    var substantive = false
    /// How substance was weighed.
    var substance: Substance?

    /// The passage as written, or a stretch of it around `focus` when it is long: an exact excerpt.
    func quote(around focus: Range<Int>? = nil) -> String {
        let text = words.text
        let limit = 320
        guard text.utf8.distance(from: range.lowerBound, to: range.upperBound) > limit,
              text.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound) > limit, !words.isEmpty else {
            return String(text[range])
        }
        let center = focus ?? 0..<min(words.count, 1)
        var lo = center.lowerBound
        var hi = max(center.upperBound, lo + 1)
        // Widen by whole words until the excerpt is about `limit` characters long.
        while true {
            let width = text.unicodeScalars.distance(from: words[lo].range.lowerBound, to: words[hi - 1].range.upperBound)
            if width >= limit || (lo == 0 && hi == words.count) { break }
            if lo > 0 { lo -= 1 }
            if hi < words.count { hi += 1 }
        }
        // The passage's own opening and closing marks ("(", "”", "./.") come along, a few at most:
        // a passage of a few words and a run of punctuation gives a short quote.
        let u = text.unicodeScalars
        var start = words[lo].range.lowerBound
        var end = words[hi - 1].range.upperBound
        for _ in 0..<3 where start > range.lowerBound && !u[u.index(before: start)].isSpace { start = u.index(before: start) }
        for _ in 0..<3 where end < range.upperBound && !u[end].isSpace { end = u.index(after: end) }
        // One word longer than the limit: its beginning.
        if u.distance(from: start, to: end) > 2 * limit { end = u.index(start, offsetBy: 2 * limit) }
        return String(text[start..<end])
    }
}

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
        reading.noPosition = Lexicon.noPosition.first(in: words, 0..<n) != nil || Lexicon.later.first(in: words, 0..<n) != nil
        let noObjection = Lexicon.noObjection.all(in: words, 0..<n)
        let outside: (Range<Int>) -> Bool = { r in !noObjection.contains { $0.overlaps(r) } }
        let compounds = Lexicon.compounds.all(in: words, 0..<n)
        reading.isComment = Lexicon.markers(Lexicon.requests, in: words, 0..<n, compounds: compounds).contains(where: outside)
            || Lexicon.markers(Lexicon.critiques, in: words, 0..<n, compounds: compounds).contains(where: outside)
        reading.promisesLater = Lexicon.later.first(in: words, 0..<n) != nil
        var excluded = roles.map { $0 != .plain && $0 != .otherBody }
        for r in [reading.hedge, reading.deferral, reading.disclaimer].compactMap({ $0 }) + noObjection {
            for k in r { excluded[k] = true }
        }
        reading.substance = Substance(words: words, excluded: excluded, roles: roles,
                                      guarded: reading.deferral != nil, stance: reading.agrees || reading.disagrees)
        // Praise of the draft ("được chuẩn bị công phu") takes no position and asks for nothing.
        let praiseOnly = reading.noPosition && !reading.isComment
        reading.substantive = !reading.promisesLater && !praiseOnly && reading.substance!.isSubstantive
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

    // MARK: Findings

    /// Hands the decision back to the lead: a phrase that does so by itself, or a request to the
    /// lead ("đề nghị Sở Xây dựng …", "cơ quan chủ trì …", "asks the Department …") whose verb is
    /// one of deciding ("xem xét", "quyết định", "cân nhắc", "consider", "decide").
    private func deferral(_ words: Words, _ roles: [Role]) -> Range<Int>? {
        if let r = book.deferrals.first(in: words, 0..<words.count) { return r }
        var i = 0
        while i < words.count {
            var leadEnd: Int?
            if roles[i] == .lead {
                var e = i
                while e < words.count && roles[e] == .lead { e += 1 }
                leadEnd = e
            } else if let e = Lexicon.leadReferences.match(in: words, at: i, end: words.count) {
                leadEnd = e
            }
            guard let e = leadEnd else { i += 1; continue }
            let window = e..<min(words.count, e + 10)
            if let verb = Lexicon.deferralVerbs.first(in: words, window), !words[verb.lowerBound].capitalized {
                return i..<verb.upperBound
            }
            i = e
        }
        return nil
    }

    /// Disclaims the replier's own remit: "không thuộc chức năng, nhiệm vụ (của Sở)", "nằm ngoài
    /// phạm vi quản lý", "outside our remit", or a configured phrase. Not when the remit is
    /// another body's ("không thuộc thẩm quyền của UBND cấp xã" is a comment on the draft).
    private func disclaimer(_ words: Words, _ roles: [Role]) -> Range<Int>? {
        let n = words.count
        var i = 0
        while i < n {
            var found: Range<Int>?
            // Whose remit, when named before the remit ("outside the Department of Finance's remit").
            var owner: Role?
            // "vượt thẩm quyền", "exceeds the remit": whose remit must be said — the subject
            // before it is as often another body ("việc giao cấp xã … là vượt thẩm quyền").
            var ownerNamed = false
            if let end = book.disclaimers.match(in: words, at: i, end: n) {
                found = i..<end
            } else if let end = Lexicon.remitQuestions.match(in: words, at: i, end: n),
                      let adjective = (end..<min(n, end + 10)).first(where: { Lexicon.remitAdjectives.contains(words[$0]) }) {
                // "… are not matters on which the Department is competent to advise": whose
                // competence is who stands before the adjective.
                found = i..<(adjective + 1)
                let who = (end..<adjective).first { roles[$0] != .plain }.map { roles[$0] }
                owner = who ?? ((end..<adjective).contains { ["we", "this", "our"].contains(words[$0].folded) } ? .replier : nil)
                if owner == nil { found = nil }
            } else if let negEnd = Lexicon.remitNegations.match(in: words, at: i, end: n),
                      !(words[i].folded == "ngoai" && negEnd < n && words[negEnd].folded == "ra") {
                ownerNamed = ["vuot", "exceeds", "exceed", "goes", "go"].contains(words[i].folded)
                    || negEnd - i == 2 && words[i].folded == "not" && ["the", "a"].contains(words[i + 1].folded)
                var k = negEnd
                var fillers = 0
                while k < n && fillers < 5 {
                    if let remitEnd = Lexicon.remitNouns.match(in: words, at: k, end: n) {
                        found = i..<remitEnd
                        break
                    }
                    let role = roles[k]
                    if role == .replier || role == .lead || role == .otherBody {
                        owner = role
                        while k < n && roles[k] == role { k += 1 }
                        continue
                    }
                    guard Self.remitFillers.contains(words[k].folded) else { break }
                    k += 1
                    fillers += 1
                }
            }
            // "thuộc lĩnh vực của ngành khác", "a matter for other agencies": someone, unnamed.
            if found == nil, ["thuoc", "for", "to"].contains(words[i].folded), i + 1 < n,
               let other = Lexicon.otherBodies.first(in: words, (i + 1)..<min(n, i + 7)) {
                let between = (i + 1)..<other.lowerBound
                if Lexicon.remitNouns.first(in: words, between) != nil || words[i].folded != "thuoc" || between.isEmpty {
                    found = i..<other.upperBound
                }
            }
            if let r = found {
                if let owner, owner != .replier {
                    i = r.upperBound
                    continue
                }
                if owner == .replier || ownerIsSelf(words, roles, after: r.upperBound, named: ownerNamed) || words[r.upperBound - 1].folded == "khac"
                    || Lexicon.otherBodies.first(in: words, r) != nil {
                    return r
                }
                i = r.upperBound
            } else {
                i += 1
            }
        }
        return nil
    }

    private static let remitFillers: Set<String> = [
        "the", "our", "its", "this", "their", "department", "s", "of", "ve", "pham", "vi", "cua", "so", "any", "my", "quan",
        "ly", "nhiem", "vu", "with", "for", "theo", "doi", "statutory", "legal", "assigned", "own", "core", "designated",
        "official", "current", "administrative", "professional", "specialised", "specialized", "management",
    ]

    /// Whose remit a disclaimer speaks of: the replier's unless it names another body after
    /// "của" / "of" ("không thuộc thẩm quyền của UBND cấp xã", "outside the remit of the District").
    private func ownerIsSelf(_ words: Words, _ roles: [Role], after end: Int, named: Bool = false) -> Bool {
        var k = end
        let limit = min(words.count, end + 5)
        while k < limit {
            let f = words[k].folded
            if f == "cua" || f == "of" || f == "thuoc" {
                let o = k + 1
                guard o < words.count else { return !named }
                // A short form of the replier's own name ("Công an thành phố" for "Công an thành phố Hà Nội").
                if names.startsName(of: replier, in: words, at: o) { return true }
                switch roles[o] {
                case .replier: return true
                case .lead, .otherBody: return false
                default: break
                }
                let nameFollows = o + 1 < words.count && words[o + 1].capitalized && !(words[o].next == nil || words[o].followed(by: ",;.:"))
                if Lexicon.selfReferences.prefix(of: words, o..<words.count) != nil, !(words[o].folded == "so" && nameFollows) {
                    return true
                }
                if Lexicon.bodyKinds.match(in: words, at: o, end: words.count) != nil
                    || Lexicon.leadReferences.match(in: words, at: o, end: words.count) != nil {
                    return false
                }
                return !named
            }
            if words[k - 1].followed(by: ".;") { break }
            k += 1
        }
        return !named
    }

    /// Names a body other than the replier and the lead as the competent one: a referral before
    /// it ("thuộc thẩm quyền của", "đề nghị lấy ý kiến", "a matter for") or after it ("là cơ quan
    /// có thẩm quyền", "is responsible"). A negated referral names whose remit it is not.
    private func competentBody(_ words: Words, _ roles: [Role], _ bodies: [NamedBody]) -> Range<Int>? {
        for body in bodies where roles[body.words.lowerBound] == .otherBody {
            let start = body.words.lowerBound
            let before = max(0, start - 10)..<start
            var cue = false
            var j = before.lowerBound
            while j < start {
                if let e = Lexicon.referralsBefore.match(in: words, at: j, end: start), start - e <= 6 {
                    let negated = j > 0 && (["khong", "chua", "not", "ngoai"].contains(words[j - 1].folded)
                        || (j > 1 && ["khong", "not"].contains(words[j - 2].folded)))
                    if !negated { cue = true } else { cue = false }
                    j = e
                } else {
                    j += 1
                }
            }
            if !cue, body.words.upperBound < words.count {
                let after = body.words.upperBound..<min(words.count, body.words.upperBound + 4)
                cue = Lexicon.referralsAfter.first(in: words, after) != nil
            }
            if cue { return body.words }
        }
        return nil
    }

    /// Whether the passage agrees or disagrees in words. "thống nhất" meaning consistency
    /// ("tính thống nhất", "bảo đảm thống nhất với Luật") and a provision that does not agree
    /// with another ("Điều 5 không thống nhất với Điều 9") take no position.
    private func position(_ words: Words, _ roles: [Role]) -> (agrees: Bool, disagrees: Bool) {
        let n = words.count
        var agrees = false
        var disagrees = false
        var i = 0
        while i < n {
            if let e = Lexicon.noObjection.match(in: words, at: i, end: n) {
                agrees = true
                i = e
                continue
            }
            if let e = Lexicon.disagree.match(in: words, at: i, end: n) {
                disagrees = true
                i = e
                continue
            }
            guard let e = Lexicon.agree.match(in: words, at: i, end: n), roles[i] != .title, roles[i] != .letterReference else {
                i += 1
                continue
            }
            let negator = negation(words, before: i)
            // With the replier as its subject ("Sở Nội vụ không thống nhất với quy định tại Điều 9")
            // the words take a position; otherwise they may speak of consistency.
            let head = negator ?? i
            let selfSubject = head > 0 && (roles[head - 1] == .replier || Self.selfSubjects.contains(words[head - 1].folded))
            guard selfSubject || isPositionSense(words, i, e) else {
                i += 1
                continue
            }
            if let negator {
                if !thingIsSubject(words, roles, before: negator) && !(e < n && words[e].folded == "giua") { disagrees = true }
            } else {
                agrees = true
            }
            i = e
        }
        return (agrees, disagrees)
    }

    private static let selfSubjects: Set<String> = ["so", "toi", "vi", "we", "department", "ministry", "office", "agency"]

    private func isPositionSense(_ words: Words, _ i: Int, _ e: Int) -> Bool {
        if i > 0, Lexicon.consistencyBefore.contains(words[i - 1]) { return false }
        if words[i].folded == "thong", e < words.count, Lexicon.consistencyAfter.match(in: words, at: e, end: words.count) != nil,
           words[e].folded != "voi" || !(e + 1 < words.count && ["du", "noi", "toan", "de", "chu", "phuong", "viec"].contains(words[e + 1].folded)) {
            return false
        }
        // English "support" as a noun ("financial support of …") takes no position.
        if words[i].folded == "support" || words[i].folded == "supports" {
            guard e < words.count else { return true }
            return ["the", "this", "it", "these", "all", "in", "fully", "its"].contains(words[e].folded)
        }
        return true
    }

    /// The start of a negation right before word `i` ("không", "do not", "chưa hoàn toàn").
    private func negation(_ words: Words, before i: Int) -> Int? {
        for start in max(0, i - 3)..<i {
            if let e = Lexicon.negators.match(in: words, at: start, end: i), e == i || (e == i - 1 && words[e].folded == "hoan") {
                return start
            }
        }
        return nil
    }

    /// A part of the draft or a provision is the subject ("Điều 5 không thống nhất với …").
    private func thingIsSubject(_ words: Words, _ roles: [Role], before k: Int) -> Bool {
        for j in max(0, k - 4)..<k where roles[j] != .replier {
            if words[j].isNumeral || words[j].isRoman && words[j].allCaps { return true }
            if ["quy", "dinh", "noi", "dung", "nay", "do", "khoan", "dieu", "muc", "provision", "clause", "article", "section"]
                .contains(words[j].folded) && j == k - 1 {
                return true
            }
        }
        return false
    }
}
