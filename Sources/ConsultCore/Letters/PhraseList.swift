import Foundation

/// A list of phrases, folded, found in ``Words`` as whole words.
public struct PhraseList: Sendable {
    /// The folded words of each phrase.
    public let phrases: [[String]]
    /// The keys (``Word/key(_:)``) of each phrase's words.
    private let keys: [[UInt64]]
    /// Phrases by the key of their first word: the slot of `candidates` where they start, longest first.
    private let byFirstWord: KeyTable
    /// The phrases of each first word, one run after another, each run ended by -1.
    private let candidates: [Int]

    /// Phrases whose folded form is also another phrase ("phản đối", to oppose, folds like "phần
    /// đối tượng"): written with diacritics they must be spelt as listed; typed without, they match.
    private let spellings: [Int: [String]]

    public init(_ texts: [String], strict: [String] = []) {
        let all = texts + strict
        let phrases = all.map { Words($0).folded }
        var spellings: [Int: [String]] = [:]
        for (i, text) in strict.enumerated() {
            spellings[texts.count + i] = Words(text).all.map { Self.spelling(text[$0.range]) }
        }
        let keep = phrases.indices.filter { !phrases[$0].isEmpty }
        self.phrases = keep.map { phrases[$0] }
        self.keys = self.phrases.map { $0.map(Word.key) }
        var listed: [Int: [String]] = [:]
        for (new, old) in keep.enumerated() { if let s = spellings[old] { listed[new] = s } }
        self.spellings = listed
        let kept = self.phrases
        var index: [UInt64: [Int]] = [:]
        for (i, p) in keys.enumerated() { index[p[0], default: []].append(i) }
        var runs: [Int] = []
        var starts: [UInt64: Int] = [:]
        for (key, list) in index {
            starts[key] = runs.count
            runs += list.sorted { kept[$0].count > kept[$1].count } + [-1]
        }
        self.candidates = runs
        self.byFirstWord = KeyTable(starts)
    }

    private static func spelling(_ s: Substring) -> String { s.precomposedStringWithCanonicalMapping.lowercased() }

    /// The longest phrase starting at word `i` and ending before `end`, as its end (exclusive).
    public func match(in words: Words, at i: Int, end: Int) -> Int? {
        matchPhrase(in: words, at: i, end: end)?.end
    }

    /// The longest phrase starting at word `i` and ending before `end`: which one, and its end.
    public func matchPhrase(in words: Words, at i: Int, end: Int) -> (phrase: Int, end: Int)? {
        guard i < end, var c = byFirstWord[words[i].key] else { return nil }
        while candidates[c] >= 0 {
            let p = candidates[c]
            c += 1
            let phrase = keys[p]
            guard i + phrase.count <= end else { continue }
            var k = 0
            // Keys are 64-bit hashes: the folded words confirm a match.
            while k < phrase.count && words[i + k].key == phrase[k] && words[i + k].folded == phrases[p][k] { k += 1 }
            if k == phrase.count, spelledAsListed(p, words, i) { return (p, i + k) }
        }
        return nil
    }

    private func spelledAsListed(_ p: Int, _ words: Words, _ i: Int) -> Bool {
        guard let listed = spellings[p] else { return true }
        for (k, spelt) in listed.enumerated() {
            let original = Self.spelling(words.text[words[i + k].range])
            if original != words[i + k].folded && original != spelt { return false }
        }
        return true
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
    private let list: [String]
    private let keys: KeyTable

    public init(_ texts: [String]) {
        words = Set(texts.flatMap { Words($0).folded })
        list = words.sorted()
        keys = KeyTable(Dictionary(uniqueKeysWithValues: list.enumerated().map { (Word.key($1), $0) }))
    }

    public func contains(_ word: Word) -> Bool { keys[word.key].map { list[$0] == word.folded } ?? false }
    public func contains(_ folded: String) -> Bool { words.contains(folded) }
}

/// A read-only table from word keys (already hashes) to small integers: open addressing, no
/// rehashing of the key, nothing reference-counted, so a lookup costs a multiplication and a probe
/// or two.
struct KeyTable: Sendable {
    private let keys: [UInt64]
    /// The value of each slot, -1 when empty.
    private let values: [Int]
    private let mask: Int

    init(_ dictionary: [UInt64: Int]) {
        var size = 16
        while size < dictionary.count * 2 { size *= 2 }
        var keys = [UInt64](repeating: 0, count: size)
        var values = [Int](repeating: -1, count: size)
        for (key, value) in dictionary {
            var slot = Self.slot(key, size - 1)
            while values[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        self.mask = size - 1
    }

    private static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    subscript(key: UInt64) -> Int? {
        var slot = Self.slot(key, mask)
        while values[slot] >= 0 {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }
}
