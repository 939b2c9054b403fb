/// What a passage says: a deferral, a disclaimer of remit, a competent body named, a position.
extension PassageReader {
    // MARK: Findings

    /// Hands the decision back to the lead: a phrase that does so by itself, or a request to the
    /// lead ("đề nghị Sở Xây dựng …", "cơ quan chủ trì …", "asks the Department …") whose verb is
    /// one of deciding ("xem xét", "quyết định", "cân nhắc", "consider", "decide").
    func deferral(_ words: Words, _ roles: [Role]) -> Range<Int>? {
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
    func disclaimer(_ words: Words, _ roles: [Role]) -> Range<Int>? {
        let n = words.count
        var i = 0
        while i < n {
            var found: Remit?
            if let end = book.disclaimers.match(in: words, at: i, end: n) {
                found = Remit(words: i..<end)
            } else if let question = remitQuestion(words, roles, at: i) {
                found = question
            } else if let negated = negatedRemit(words, roles, at: i) {
                found = negated
            } else if let other = otherBodysRemit(words, at: i) {
                found = Remit(words: other)
            }
            guard let remit = found else { i += 1; continue }
            let r = remit.words
            if let owner = remit.owner, owner != .replier {
                i = r.upperBound
                continue
            }
            if remit.owner == .replier || ownerIsSelf(words, roles, after: r.upperBound, named: remit.ownerMustBeNamed)
                || words[r.upperBound - 1].folded == "khac" || Lexicon.otherBodies.first(in: words, r) != nil {
                return r
            }
            i = r.upperBound
        }
        return nil
    }

    /// A remit found in a passage: its words and whose it is, when that is said before it.
    private struct Remit {
        var words: Range<Int>
        var owner: Role?
        /// "vượt thẩm quyền", "exceeds the remit": the subject before it is as often another body
        /// ("việc giao cấp xã … là vượt thẩm quyền"), so whose remit it is must be said after it.
        var ownerMustBeNamed = false
    }

    /// "… are not matters on which the Department is competent to advise", "… a matter for the
    /// Department of Finance to decide": whose competence is who stands before the adjective.
    private func remitQuestion(_ words: Words, _ roles: [Role], at i: Int) -> Remit? {
        let n = words.count
        guard let end = Lexicon.remitQuestions.match(in: words, at: i, end: n),
              let adjective = (end..<min(n, end + 10)).first(where: { Lexicon.remitAdjectives.contains(words[$0]) }) else {
            return nil
        }
        let who = (end..<adjective).first { roles[$0] != .plain }.map { roles[$0] }
        guard let owner = who ?? ((end..<adjective).contains { ["we", "this", "our"].contains(words[$0].folded) } ? .replier : nil)
        else { return nil }
        return Remit(words: i..<(adjective + 1), owner: owner)
    }

    /// A negated belonging followed by a remit, past a few filler words and a body's name:
    /// "không thuộc chức năng", "outside the Department of Finance's remit".
    private func negatedRemit(_ words: Words, _ roles: [Role], at i: Int) -> Remit? {
        let n = words.count
        guard let negEnd = Lexicon.remitNegations.match(in: words, at: i, end: n),
              !(words[i].folded == "ngoai" && negEnd < n && words[negEnd].folded == "ra") else { return nil }
        var remit = Remit(words: i..<negEnd)
        remit.ownerMustBeNamed = ["vuot", "exceeds", "exceed", "goes", "go"].contains(words[i].folded)
            || negEnd - i == 2 && words[i].folded == "not" && ["the", "a"].contains(words[i + 1].folded)
        var k = negEnd
        var fillers = 0
        while k < n && fillers < 5 {
            if let remitEnd = Lexicon.remitNouns.match(in: words, at: k, end: n) {
                remit.words = i..<remitEnd
                return remit
            }
            let role = roles[k]
            if role == .replier || role == .lead || role == .otherBody {
                remit.owner = role
                while k < n && roles[k] == role { k += 1 }
                continue
            }
            guard Self.remitFillers.contains(words[k].folded) else { break }
            k += 1
            fillers += 1
        }
        return nil
    }

    /// "thuộc lĩnh vực của ngành khác", "a matter for other agencies": someone's, unnamed.
    private func otherBodysRemit(_ words: Words, at i: Int) -> Range<Int>? {
        let n = words.count
        guard ["thuoc", "for", "to"].contains(words[i].folded), i + 1 < n,
              let other = Lexicon.otherBodies.first(in: words, (i + 1)..<min(n, i + 7)) else { return nil }
        let between = (i + 1)..<other.lowerBound
        guard Lexicon.remitNouns.first(in: words, between) != nil || words[i].folded != "thuoc" || between.isEmpty else { return nil }
        return i..<other.upperBound
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
    func competentBody(_ words: Words, _ roles: [Role], _ bodies: [NamedBody]) -> Range<Int>? {
        for body in bodies where roles[body.words.lowerBound] == .otherBody {
            let start = body.words.lowerBound
            let before = max(0, start - 10)..<start
            var cue = false
            var j = before.lowerBound
            while j < start {
                if let e = Lexicon.referralsBefore.match(in: words, at: j, end: start), start - e <= 6 {
                    let negated = j > 0 && (["khong", "chua", "not", "ngoai"].contains(words[j - 1].folded)
                        || (j > 1 && ["khong", "not"].contains(words[j - 2].folded)))
                    cue = !negated
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
    func position(_ words: Words, _ roles: [Role]) -> (agrees: Bool, disagrees: Bool) {
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
