import Foundation

/// Text folded for matching: lower case, Vietnamese diacritics removed (đ → d), every run of
/// characters other than letters and digits turned into one space.
///
/// "Về cơ bản, THỐNG NHẤT" and "ve co ban thong nhat" fold to the same tokens.
public struct NormalizedText: Sendable, Equatable {
    public let tokens: [String]
    /// The tokens joined by single spaces, with a space at each end, for phrase search.
    public let padded: String

    public init(_ text: String) {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { tokens.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            let v = scalar.value
            if (0x300...0x36F).contains(v) { continue }  // combining marks: tones, hooks, breves
            if v == 0x111 || v == 0x110 { current.append("d"); continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                flush()
            }
        }
        flush()
        self.tokens = tokens
        self.padded = " " + tokens.joined(separator: " ") + " "
    }

    /// Whether the folded phrase occurs as whole tokens.
    public func contains(phrase: NormalizedText) -> Bool {
        !phrase.tokens.isEmpty && padded.contains(phrase.padded)
    }

    /// The first phrase of a list that occurs.
    public func firstMatch(in phrases: [NormalizedText]) -> NormalizedText? {
        phrases.first { contains(phrase: $0) }
    }

    /// The tokens left after removing every occurrence of the given phrases.
    public func removing(_ phrases: [NormalizedText]) -> [String] {
        var text = padded
        for phrase in phrases where !phrase.tokens.isEmpty {
            while let range = text.range(of: phrase.padded) {
                text.replaceSubrange(range, with: " ")
            }
        }
        return text.split(separator: " ").map(String.init)
    }
}
