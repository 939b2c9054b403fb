import Foundation

/// One word of a text: its folded form for matching and its place in the original, for quoting.
public struct Word: Sendable, Equatable {
    /// Lower case, Vietnamese diacritics removed (đ → d): "Đề" → "de".
    public let folded: String
    /// Where the word stands in the original text.
    public let range: Range<String.Index>
    /// The first letter is upper case in the original ("Sở", "Hoàn").
    public let capitalized: Bool
    /// Every letter is upper case and there are at least two ("GIÁM", "UBND").
    public let allCaps: Bool
    /// The character right after the word, if any: "/" in "147/2020", "%" in "15%".
    public let next: Character?

    /// Starts with a digit: "2025", "03", "1.850" is two numerals joined by ".".
    public var isNumeral: Bool { folded.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? false }

    /// A Roman numeral of a part of a draft ("III", "iv"), read in folded form.
    public var isRoman: Bool {
        folded.utf8.count <= 6 && folded.utf8.allSatisfy { "ivxlc".utf8.contains($0) }
    }

    /// Joined to the next word without a space ("147/2020/NĐ-CP", "quý IV/2026").
    public var joined: Bool { next.map { !$0.isWhitespace } ?? false }
}

/// A text cut into words folded for matching, each keeping its place in the original.
///
/// Folding is case- and diacritic-insensitive and treats every run of characters other than
/// letters and digits as a separator, so "Về  CƠ BẢN, thống nhất!" and "ve co ban thong nhat"
/// read alike. Precomposed and decomposed Unicode forms fold the same.
public struct Words: Sendable {
    public let text: String
    public let words: [Word]

    public init(_ text: String) { self.init(text, in: text.startIndex..<text.endIndex) }

    /// The words of one stretch of `text`.
    public init(_ text: String, in range: Range<String.Index>) { self.init(text, in: [range]) }

    /// The words of several stretches of `text`, in order, as one sequence (a sentence whose
    /// lines a page number interrupts).
    public init(_ text: String, in ranges: [Range<String.Index>]) {
        self.text = text
        var words: [Word] = []
        for range in ranges { Self.cut(text, range, into: &words) }
        self.words = words
    }

    private static func cut(_ text: String, _ range: Range<String.Index>, into words: inout [Word]) {
        let scalars = text.unicodeScalars
        var i = range.lowerBound
        var start: String.Index?
        var folded = String.UnicodeScalarView()
        var uppers = 0
        var letters = 0
        var firstUpper = false
        func flush(at end: String.Index) {
            guard let s = start else { return }
            let next: Character? = end < range.upperBound ? text[end] : nil
            words.append(Word(folded: String(folded), range: s..<end, capitalized: firstUpper,
                              allCaps: letters >= 2 && uppers == letters, next: next))
            start = nil
            folded = String.UnicodeScalarView()
            uppers = 0
            letters = 0
            firstUpper = false
        }
        while i < range.upperBound {
            let scalar = scalars[i]
            let v = scalar.value
            if (0x300...0x36F).contains(v) {  // a combining mark of a decomposed letter: part of the word
                i = scalars.index(after: i)
                continue
            }
            if let base = Folding.base(scalar) {
                if start == nil { start = i }
                folded.append(contentsOf: base.folded)
                if base.isLetter {
                    if letters == 0 { firstUpper = base.isUpper }
                    letters += 1
                    if base.isUpper { uppers += 1 }
                }
            } else {
                flush(at: i)
            }
            i = scalars.index(after: i)
        }
        flush(at: range.upperBound)
    }

    public var count: Int { words.count }
    public var isEmpty: Bool { words.isEmpty }
    public subscript(i: Int) -> Word { words[i] }

    /// The folded words, for tests and simple checks.
    public var folded: [String] { words.map(\.folded) }

    /// The original text from word `from` through word `through`, inclusive.
    public func original(_ from: Int, _ through: Int) -> Substring {
        text[words[from].range.lowerBound..<words[through].range.upperBound]
    }
}

/// Folds one Unicode scalar: its base letter in lower case, or nil for a separator.
enum Folding {
    struct Base: Sendable {
        let folded: String.UnicodeScalarView
        let isLetter: Bool
        let isUpper: Bool
    }

    /// ASCII and the Latin blocks Vietnamese uses, folded once.
    private static let table: [UInt32: Base] = {
        var table: [UInt32: Base] = [:]
        let ranges: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF]
        for range in ranges {
            for v in range {
                guard let scalar = Unicode.Scalar(v), let base = fold(scalar) else { continue }
                table[v] = base
            }
        }
        return table
    }()

    static func base(_ scalar: Unicode.Scalar) -> Base? {
        if let known = table[scalar.value] { return known }
        if scalar.value < 0x80 { return nil }
        return fold(scalar)
    }

    private static func fold(_ scalar: Unicode.Scalar) -> Base? {
        let p = scalar.properties
        if scalar.value == 0x111 || scalar.value == 0x110 {
            return Base(folded: "d".unicodeScalars, isLetter: true, isUpper: scalar.value == 0x110)
        }
        if p.numericType != nil && !p.isAlphabetic {
            return Base(folded: String.UnicodeScalarView([scalar]), isLetter: false, isUpper: false)
        }
        guard p.isAlphabetic else { return nil }
        var out = String.UnicodeScalarView()
        for s in String(String.UnicodeScalarView([scalar])).decomposedStringWithCanonicalMapping.unicodeScalars
        where !(0x300...0x36F).contains(s.value) {
            out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
        }
        return Base(folded: out, isLetter: true, isUpper: p.isUppercase)
    }
}

