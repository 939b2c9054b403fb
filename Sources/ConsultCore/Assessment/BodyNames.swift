/// A body named in a passage: a declared agency, or a state body named by its proper name.
struct NamedBody: Equatable {
    /// The declared agency's code; nil for a body not declared ("Bộ Tài chính").
    let code: String?
    /// The words that name it.
    let words: Range<Int>
}

/// Who is who in a reply: the declared agencies by code, name and aliases, and the proper names
/// of state bodies ("Bộ Tài chính", "UBND quận Hoàn Kiếm", "the Ministry of Finance").
///
/// A name matches as whole words of a body: "cơ sở y tế" (a health facility) is not "Sở Y tế".
struct BodyNames: Sendable {
    /// Every declared code, name and alias, folded.
    let phrases: PhraseList
    /// The agency code of each phrase of `phrases`.
    private let codes: [String]

    init(agencies: [String: Agency]) {
        var texts: [String] = []
        var codes: [String] = []
        for agency in agencies.values.sorted(by: { $0.code < $1.code }) {
            for text in [agency.code, agency.name] + agency.aliases where !Words(text).isEmpty {
                texts.append(text)
                codes.append(agency.code)
            }
        }
        let list = PhraseList(texts)
        phrases = list
        // PhraseList drops phrases with no words; none were kept above, so indices line up.
        self.codes = codes
    }

    /// Whether the words at `i` are the first two words or more of `code`'s name or an alias,
    /// up to a stop ("Công an thành phố." for "Công an thành phố Hà Nội"): a short form of it.
    func startsName(of code: String, in words: Words, at i: Int) -> Bool {
        shortForms(of: code, words, at: i, upTo: words.count).contains { k in
            k >= 2 && (i + k == words.count || words[i + k - 1].followed(by: ",;.:"))
        }
    }

    /// Whether the words `range` are the first two words or more, not all, of `code`'s name or an alias.
    func isShortForm(of code: String, _ words: Words, _ range: Range<Int>) -> Bool {
        range.count >= 2 && shortForms(of: code, words, at: range.lowerBound, upTo: range.upperBound).contains(range.count)
    }

    /// For each of `code`'s names and aliases, how many words from `i` (before `end`) begin it
    /// without being all of it.
    private func shortForms(of code: String, _ words: Words, at i: Int, upTo end: Int) -> [Int] {
        phrases.phrases.indices.filter { codes[$0] == code }.map { p in
            let phrase = phrases.phrases[p]
            var k = 0
            while k < phrase.count && i + k < end && words[i + k].folded == phrase[k] { k += 1 }
            return k < phrase.count ? k : 0
        }
    }

    /// A declared agency named at word `i`: its code and the end of the name.
    func declared(_ words: Words, at i: Int, end: Int) -> NamedBody? {
        guard let (p, e) = phrases.matchPhrase(in: words, at: i, end: end) else { return nil }
        // Part of a compound: "cơ sở y tế" is a facility, "trụ sở" a building, "toàn bộ" a word.
        if i > 0, Self.compoundFirst[words[i].folded]?.contains(words[i - 1].folded) == true { return nil }
        // An agency's code inside a letter's number and symbol ("2606/SYT-KHTC") names nobody.
        let single = e - i == 1 && words[i].folded == phrases.phrases[p][0] && phrases.phrases[p].count == 1
        if single, (i > 0 && words[i - 1].joined && words[i - 1].followed(by: "/-")) || (words[i].joined && words[i].followed(by: "/-")) {
            return nil
        }
        return NamedBody(code: codes[p], words: i..<e)
    }

    /// First words of bodies' names and the words before them that make a compound instead.
    static let compoundFirst: [String: Set<String>] = [
        "so": ["co", "tru", "can", "ho"],
        "bo": ["can", "toan", "dong", "so", "tu", "nhat", "tien", "phan"],
        "ban": ["van", "co", "nhat"],
        "cuc": ["tich", "ket", "toan", "bo"],
        // "nhiệm vụ", "dịch vụ", "xã hội" written in capitals are no "Vụ", no "Hội".
        "vu": ["nhiem", "dich", "nghiep", "su", "thoi", "mua", "cong", "chuc", "phuc"],
        "hoi": ["xa", "co", "le", "dai"],
        "quy": ["ngan"],
    ]

    /// The body named at word `i`, declared or not. Names need capitals where the text has them.
    func body(_ words: Words, at i: Int, end: Int) -> NamedBody? {
        if let d = declared(words, at: i, end: end) { return d }
        return proper(words, at: i, end: end)
    }

    /// A state body named by its proper name, not declared: a kind of body written with a
    /// capital ("Bộ", "UBND", "Cục", "Ministry of") followed, past any level ("quận", "thành
    /// phố"), by a capitalised name; or an English name ending in a body noun ("Cau Giay District
    /// People's Committee", "Hanoi Tax Department").
    func proper(_ words: Words, at i: Int, end: Int) -> NamedBody? {
        let w = words[i]
        if w.capitalized || w.allCaps, let e = Lexicon.uniqueBodies.match(in: words, at: i, end: end),
           w.folded != "government" || i > 0 && words[i - 1].folded == "the" {
            return NamedBody(code: nil, words: i..<e)
        }
        // Written all in capitals, a sentence's capitals name nothing: only a declared agency or a
        // body named alone is known there ("ĐỀ NGHỊ GỬI UBND CẤP HUYỆN" names a kind of body).
        guard w.capitalized || w.allCaps, !Self.inCapitals(words, around: i, end: end) else { return nil }
        if w.capitalized || w.allCaps, let kindEnd = Lexicon.bodyKinds.match(in: words, at: i, end: end),
           i == 0 || Self.compoundFirst[w.folded]?.contains(words[i - 1].folded) != true,
           !(words[kindEnd - 1].followed(by: ",;")) {
            var k = kindEnd
            while k < end, let levelEnd = Lexicon.levels.match(in: words, at: k, end: end) {
                // "UBND Thành phố": a level written with a capital is the name (the city's own body).
                if words[k].capitalized { return NamedBody(code: nil, words: i..<levelEnd) }
                k = levelEnd
            }
            if k < end, words[k].capitalized || words[k].allCaps,
               k > kindEnd || Lexicon.genericCapitalized.match(in: words, at: k, end: end) == nil
                || Lexicon.bodyKinds.match(in: words, at: k, end: end) != nil {
                return NamedBody(code: nil, words: i..<nameEnd(words, from: k, end: end))
            }
        }
        // English: a run of capitalised words ending in a body noun, one of them more than a kind.
        if w.capitalized {
            var k = i
            var specific = false
            while k < end && (words[k].capitalized || ["s", "of", "and"].contains(words[k].folded)) {
                if Lexicon.bodyNouns.contains(words[k]) && k > i && specific { return NamedBody(code: nil, words: i..<(k + 1)) }
                if words[k].capitalized && Lexicon.genericCapitalized.match(in: words, at: k, end: end) == nil
                    && !Lexicon.bodyNouns.contains(words[k]) && !Lexicon.kindAdjectives.contains(words[k]) {
                    specific = true
                }
                k += 1
            }
        }
        return nil
    }

    /// The words around `i` are all in capitals (a heading, a sentence typed with caps lock).
    static func inCapitals(_ words: Words, around i: Int, end: Int) -> Bool {
        let around = max(0, i - 3)..<min(end, i + 6)
        let lettered = around.filter { !words[$0].isNumeral }
        return lettered.count >= 3 && lettered.allSatisfy { words[$0].allCaps || words[$0].folded.utf8.count == 1 }
    }

    /// Where a name that starts at `k` ends: its capitalised words and the lower-case ones that
    /// carry on a Vietnamese name ("Sở Tài nguyên và Môi trường", "Bộ Giao thông vận tải").
    private func nameEnd(_ words: Words, from k: Int, end: Int) -> Int {
        var e = k + 1
        var lowerRun = 0
        while e < end && !(words[e - 1].next == nil || words[e - 1].followed(by: ",;:.()")) {
            let x = words[e]
            if x.capitalized { lowerRun = 0 } else {
                lowerRun += 1
                if lowerRun > 2 || Lexicon.functionWords.contains(x) && x.folded != "va" { break }
            }
            e += 1
        }
        while e > k + 1 && !words[e - 1].capitalized && lowerRun > 0 && Lexicon.functionWords.contains(words[e - 1]) {
            e -= 1
        }
        return e
    }
}
