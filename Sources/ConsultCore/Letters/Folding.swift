import Foundation

/// Folds one Unicode scalar: its base letter in lower case, or a separator.
enum Folding {
    enum Kind: UInt8, Sendable { case separator, digit, lower, upper }

    struct Folded: Sendable {
        let kind: Kind
        /// The folded form when it is one ASCII byte (every letter Vietnamese uses); else 0, and
        /// ``bytes(_:)`` gives it.
        let single: UInt8
    }

    /// ASCII and the Latin blocks Vietnamese uses, folded once, looked up by scalar value.
    static let latin: [Folded] = (0..<0x250).map { slow(Unicode.Scalar(UInt32($0))!).0 }
    static let extended: [Folded] = (0x1E00..<0x1F00).map { slow(Unicode.Scalar(UInt32($0))!).0 }

    static func fold(_ scalar: Unicode.Scalar) -> Folded {
        let v = Int(scalar.value)
        if v < 0x250 { return latin[v] }
        if v >= 0x1E00 && v < 0x1F00 { return extended[v - 0x1E00] }
        return slow(scalar).0
    }

    /// The folded form of a scalar that does not fold to one ASCII byte.
    static func bytes(_ scalar: Unicode.Scalar) -> [UInt8] { slow(scalar).1 }

    private static func slow(_ scalar: Unicode.Scalar) -> (Folded, [UInt8]) {
        let p = scalar.properties
        if scalar.value == 0x111 || scalar.value == 0x110 {
            return (Folded(kind: scalar.value == 0x110 ? .upper : .lower, single: UInt8(ascii: "d")), [UInt8(ascii: "d")])
        }
        if p.numericType != nil && !p.isAlphabetic {
            let bytes = Array(String(scalar).utf8)
            return (Folded(kind: .digit, single: bytes.count == 1 ? bytes[0] : 0), bytes)
        }
        guard p.isAlphabetic else { return (Folded(kind: .separator, single: 0), []) }
        var out = ""
        for s in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars where !(0x300...0x36F).contains(s.value) {
            out += s.properties.lowercaseMapping
        }
        let bytes = Array(out.utf8)
        return (Folded(kind: p.isUppercase ? .upper : .lower, single: bytes.count == 1 ? bytes[0] : 0), bytes)
    }
}
