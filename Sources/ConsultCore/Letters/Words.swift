import Foundation

/// One word of a text: its folded form for matching and its place in the original, for quoting.
public struct Word: Sendable, Equatable {
    /// Lower case, Vietnamese diacritics removed (đ → d): "Đề" → "de".
    public let folded: String
    /// A hash of `folded` (FNV-1a, 64 bits): phrase lists compare words by it.
    public let key: UInt64
    /// Where the word stands in the original text.
    public let range: Range<String.Index>
    /// The first letter is upper case in the original ("Sở", "Hoàn").
    public let capitalized: Bool
    /// Every letter is upper case and there are at least two ("GIÁM", "UBND").
    public let allCaps: Bool
    /// The character right after the word, if any: "/" in "147/2020", "%" in "15%".
    public let next: Unicode.Scalar?

    /// Starts with a digit: "2025", "03"; "1.850" is two numerals joined by ".".
    public var isNumeral: Bool { folded.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? false }

    /// A Roman numeral of a part of a draft ("III", "iv"), read in folded form.
    public var isRoman: Bool {
        folded.utf8.count <= 6 && folded.utf8.allSatisfy { "ivxlc".utf8.contains($0) }
    }

    /// Joined to the next word without a space ("147/2020/NĐ-CP", "quý IV/2026").
    public var joined: Bool { next.map { !$0.properties.isWhitespace } ?? false }

    /// Whether the character right after the word is one of `characters`.
    public func followed(by characters: String) -> Bool {
        guard let next else { return false }
        return characters.unicodeScalars.contains(next)
    }

    /// The key of a folded word, as ``key`` computes it.
    public static func key(_ folded: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in folded.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

/// A text cut into words folded for matching, each keeping its place in the original.
///
/// Folding is case- and diacritic-insensitive and treats every run of characters other than
/// letters and digits as a separator, so "Về  CƠ BẢN, thống nhất!" and "ve co ban thong nhat"
/// read alike. Precomposed and decomposed Unicode forms fold the same; markup an export left
/// behind ("<br>", "&nbsp;") separates words. A text is folded once: the words of a stretch of it
/// (``within(_:)``) share the folding.
public struct Words: Sendable {
    public let text: String
    private let storage: [Word]
    private let start: Int
    public let count: Int

    public init(_ text: String) { self.init(text, in: text.startIndex..<text.endIndex) }

    /// The words of one stretch of `text`.
    public init(_ text: String, in range: Range<String.Index>) {
        self.text = text
        var words: [Word] = []
        Self.cut(text, range, into: &words)
        storage = words
        start = 0
        count = words.count
    }

    private init(text: String, storage: [Word], start: Int, count: Int) {
        self.text = text
        self.storage = storage
        self.start = start
        self.count = count
    }

    public var isEmpty: Bool { count == 0 }
    public subscript(i: Int) -> Word { storage[start + i] }

    /// The words, in order.
    public var all: ArraySlice<Word> { storage[start..<(start + count)] }

    /// The folded words, for tests and simple checks.
    public var folded: [String] { all.map(\.folded) }

    /// The original text from word `from` through word `through`, inclusive.
    public func original(_ from: Int, _ through: Int) -> Substring {
        text[self[from].range.lowerBound..<self[through].range.upperBound]
    }

    /// The words that lie within `range` of the text, sharing this folding.
    public func within(_ range: Range<String.Index>) -> Words {
        let lo = firstIndex { $0.range.lowerBound >= range.lowerBound }
        let hi = firstIndex { $0.range.lowerBound >= range.upperBound }
        var end = hi
        while end > lo && self[end - 1].range.upperBound > range.upperBound { end -= 1 }
        return Words(text: text, storage: storage, start: start + lo, count: end - lo)
    }

    /// The words that lie within the pieces, in order, as one sequence (a sentence whose lines a
    /// page number interrupts).
    public func within(_ ranges: [Range<String.Index>]) -> Words {
        if ranges.count == 1 { return within(ranges[0]) }
        var words: [Word] = []
        for r in ranges { words += within(r).all }
        return Words(text: text, storage: words, start: 0, count: words.count)
    }

    /// The first index whose word satisfies the monotone predicate (binary search), or `count`.
    private func firstIndex(where predicate: (Word) -> Bool) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if predicate(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    private static func cut(_ text: String, _ range: Range<String.Index>, into words: inout [Word]) {
        let utf8 = text.utf8
        let lo = utf8.distance(from: utf8.startIndex, to: range.lowerBound)
        let hi = utf8.distance(from: utf8.startIndex, to: range.upperBound)
        Bytes.scan(text) { bytes in cut(text, bytes, lo, hi, into: &words) }
    }

    /// Cuts bytes `lo..<hi` of `text` (its UTF-8, contiguous) into words.
    private static func cut(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, into words: inout [Word]) {
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        let latin = Folding.latin
        let extended = Folding.extended
        var o = lo
        var word = WordInProgress()
        func flush(at end: Int) {
            guard word.start >= 0 else { return }
            let next: Unicode.Scalar? = end < hi ? scalar(bytes, at: end).0 : nil
            words.append(word.finish(range: index(word.start)..<index(end), next: next))
        }
        while o < hi {
            let (s, length) = scalar(bytes, at: o)
            let v = s.value
            // Markup an export left behind ("<br>", "&nbsp;") separates words and is none.
            if v == 0x3C || v == 0x26, let end = (v == 0x3C ? tagEnd(text, at: index(o)) : entityEnd(text, at: index(o))) {
                let endOffset = utf8.distance(from: utf8.startIndex, to: end)
                if endOffset <= hi {
                    flush(at: o)
                    o = endOffset
                    continue
                }
            }
            // A combining mark of a decomposed letter is part of the word; an invisible one (a
            // zero-width space or joiner, a soft hyphen, a BOM) neither joins nor separates.
            if v >= 0x300 && v <= 0x36F || v == 0xAD || (v >= 0x200B && v <= 0x200D) || v == 0x2060 || v == 0xFEFF {
                o += length
                continue
            }
            let f = v < 0x250 ? latin[Int(v)] : (v >= 0x1E00 && v < 0x1F00 ? extended[Int(v) - 0x1E00] : Folding.fold(s))
            if f.kind != .separator {
                if word.start < 0 { word.start = o }
                word.take(f, s)
            } else {
                flush(at: o)
            }
            o += length
        }
        flush(at: hi)
    }

    /// The scalar at byte `o` of UTF-8 `bytes` and its length in bytes (a space where the bytes
    /// are not UTF-8).
    private static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at o: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[o])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 < 0xE0, o + 1 < bytes.count {
            return (Unicode.Scalar(((b0 & 0x1F) << 6) | (UInt32(bytes[o + 1]) & 0x3F)) ?? " ", 2)
        }
        if b0 < 0xF0, o + 2 < bytes.count {
            let v = ((b0 & 0x0F) << 12) | ((UInt32(bytes[o + 1]) & 0x3F) << 6) | (UInt32(bytes[o + 2]) & 0x3F)
            return (Unicode.Scalar(v) ?? " ", 3)
        }
        if o + 3 < bytes.count {
            let v = ((b0 & 0x07) << 18) | ((UInt32(bytes[o + 1]) & 0x3F) << 12) | ((UInt32(bytes[o + 2]) & 0x3F) << 6)
                | (UInt32(bytes[o + 3]) & 0x3F)
            return (Unicode.Scalar(v) ?? " ", 4)
        }
        return (" ", 1)
    }
}

/// The word being cut: its folded bytes, their hash, and how its letters are cased.
private struct WordInProgress {
    /// Its first byte in the text, or -1 between words.
    var start = -1
    private var folded: [UInt8] = []
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private var uppers = 0
    private var letters = 0
    private var firstUpper = false

    init() { folded.reserveCapacity(32) }

    /// Adds a scalar of the word, folded as `f` says.
    mutating func take(_ f: Folding.Folded, _ s: Unicode.Scalar) {
        if f.single != 0 { append(f.single) } else { for byte in Folding.bytes(s) { append(byte) } }
        if f.kind != .digit {
            if letters == 0 { firstUpper = f.kind == .upper }
            letters += 1
            if f.kind == .upper { uppers += 1 }
        }
    }

    private mutating func append(_ byte: UInt8) {
        folded.append(byte)
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    /// The finished word; ready for the next one (the buffer is kept: no allocation per word).
    mutating func finish(range: Range<String.Index>, next: Unicode.Scalar?) -> Word {
        let word = Word(folded: String(decoding: folded, as: UTF8.self), key: hash, range: range,
                        capitalized: firstUpper, allCaps: letters >= 2 && uppers == letters, next: next)
        start = -1
        folded.removeAll(keepingCapacity: true)
        hash = 0xcbf2_9ce4_8422_2325
        uppers = 0
        letters = 0
        firstUpper = false
        return word
    }
}

extension Words {
    /// The end of an HTML tag starting at `i` ("<br>", "</p>", "<br />"); nil if it is none.
    static func tagEnd(_ text: String, at i: String.Index) -> String.Index? {
        let scalars = text.unicodeScalars
        var j = scalars.index(after: i)
        var letters = 0
        if j < text.endIndex && scalars[j] == "/" { j = scalars.index(after: j) }
        while j < text.endIndex, letters <= 10, scalars[j].isASCII, scalars[j].properties.isAlphabetic {
            letters += 1
            j = scalars.index(after: j)
        }
        guard letters > 0 else { return nil }
        var k = 0
        while j < text.endIndex, k < 40, scalars[j] != ">" {
            if scalars[j] == "<" || scalars[j] == "\n" { return nil }
            j = scalars.index(after: j)
            k += 1
        }
        guard j < text.endIndex, scalars[j] == ">" else { return nil }
        return scalars.index(after: j)
    }

    /// The lower-cased name of the tag at `range` ("br" of "<br/>").
    static func tagName(_ text: String, _ range: Range<String.Index>) -> String {
        String(text[range].unicodeScalars.drop { $0 == "<" || $0 == "/" }.prefix { $0.properties.isAlphabetic }).lowercased()
    }

    /// The end of an HTML entity starting at `i` ("&nbsp;", "&#160;"); nil if it is none.
    static func entityEnd(_ text: String, at i: String.Index) -> String.Index? {
        let scalars = text.unicodeScalars
        var j = scalars.index(after: i)
        var n = 0
        while j < text.endIndex, n <= 8, scalars[j].isASCII,
              scalars[j].properties.isAlphabetic || ("0"..."9").contains(scalars[j]) || scalars[j] == "#" {
            n += 1
            j = scalars.index(after: j)
        }
        guard n >= 2, j < text.endIndex, scalars[j] == ";" else { return nil }
        return scalars.index(after: j)
    }
}
