/// A list of phrases, folded, found in ``Words`` as whole words.
public struct PhraseList: Sendable {
    /// The folded words of each phrase.
    public let phrases: [[String]]
    private let byFirstWord: [String: [Int]]

    public init(_ texts: [String]) {
        let phrases = texts.map { Words($0).folded }.filter { !$0.isEmpty }
        var index: [String: [Int]] = [:]
        for (i, p) in phrases.enumerated() { index[p[0], default: []].append(i) }
        // Longest first, so that a match is the longest phrase starting at a word.
        for key in index.keys { index[key]!.sort { phrases[$0].count > phrases[$1].count } }
        self.phrases = phrases
        self.byFirstWord = index
    }

    /// The longest phrase starting at word `i` and ending before `end`, as its end (exclusive).
    public func match(in words: Words, at i: Int, end: Int) -> Int? {
        matchPhrase(in: words, at: i, end: end)?.end
    }

    /// The longest phrase starting at word `i` and ending before `end`: which one, and its end.
    public func matchPhrase(in words: Words, at i: Int, end: Int) -> (phrase: Int, end: Int)? {
        guard i < end, let candidates = byFirstWord[words[i].folded] else { return nil }
        for p in candidates {
            let phrase = phrases[p]
            guard i + phrase.count <= end else { continue }
            var k = 1
            while k < phrase.count && words[i + k].folded == phrase[k] { k += 1 }
            if k == phrase.count { return (p, i + k) }
        }
        return nil
    }

    /// The first occurrence in words `range`, as a range of word indices.
    public func first(in words: Words, _ range: Range<Int>) -> Range<Int>? {
        for i in range { if let end = match(in: words, at: i, end: range.upperBound) { return i..<end } }
        return nil
    }

    /// Every occurrence in words `range`, left to right, not overlapping.
    public func all(in words: Words, _ range: Range<Int>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if let end = match(in: words, at: i, end: range.upperBound) {
                found.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return found
    }

    /// Whether the words `range` start with one of the phrases; the match's end.
    public func prefix(of words: Words, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        return match(in: words, at: range.lowerBound, end: range.upperBound)
    }

    /// Whether the whole of words `range` is one of the phrases.
    public func isWhole(_ words: Words, _ range: Range<Int>) -> Bool {
        prefix(of: words, range) == range.upperBound
    }
}

/// A set of single folded words.
public struct WordSet: Sendable {
    public let words: Set<String>

    public init(_ texts: [String]) { words = Set(texts.flatMap { Words($0).folded }) }

    public func contains(_ word: Word) -> Bool { words.contains(word.folded) }
    public func contains(_ folded: String) -> Bool { words.contains(folded) }
}
