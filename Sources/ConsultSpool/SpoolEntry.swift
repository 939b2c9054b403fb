#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

/// A name listed in `new/`. Its bytes need not be UTF-8: such a name is shown (in sidecars, the
/// journal, the store) in an escaped form, and only its bytes reach the system calls.
public struct SpoolEntry: Sendable, Hashable, CustomStringConvertible {
    /// The name, or its escaped form (``SpoolNames/escaped(_:)``) when its bytes are not UTF-8.
    public let name: String
    /// The bytes of a name that is not UTF-8; nil for every other name.
    public let undecodable: [UInt8]?

    /// An entry whose bytes are `bytes`, as `readdir` gives them.
    public init(bytes: [UInt8]) {
        if let text = String(validating: bytes, as: UTF8.self) {
            name = text
            undecodable = nil
        } else {
            name = SpoolNames.escaped(bytes)
            undecodable = bytes
        }
    }

    /// The entry a name given as text stands for (as inotify reports it): the name itself, or,
    /// when `name` is the escaped form of bytes that are not UTF-8 and no entry has the name as
    /// it is spelt, those bytes.
    public init(reported name: String, in directory: String) {
        self.name = name
        if let bytes = SpoolNames.unescaped(name), access("\(directory)/\(name)", F_OK) != 0 {
            undecodable = bytes
        } else {
            undecodable = nil
        }
    }

    public var description: String { name }

    /// `directory/NAME` as the bytes a system call takes (NUL-terminated).
    public func path(in directory: String) -> [CChar] {
        var bytes = Array(directory.utf8)
        bytes.append(UInt8(ascii: "/"))
        bytes += undecodable ?? Array(name.utf8)
        bytes.append(0)
        return bytes.map { CChar(bitPattern: $0) }
    }

    /// The name alone as the bytes a system call takes (NUL-terminated), for calls relative to a
    /// directory descriptor.
    public var cName: [CChar] {
        var bytes = undecodable ?? Array(name.utf8)
        bytes.append(0)
        return bytes.map { CChar(bitPattern: $0) }
    }
}

/// The names the daemon writes in the spool, and the way it shows names that are not UTF-8.
public enum SpoolNames {
    /// NAME_MAX of Linux file systems, in bytes.
    public static let maximumBytes = 255

    /// `name` if it fits in `maximumBytes - reserve` bytes; otherwise its first bytes (whole
    /// characters), `~` and the first 16 hex digits of the SHA-256 of the whole name, so that
    /// the shortened name is the same every time and differs for different names.
    public static func fitted(_ name: String, reserve: Int = 0) -> String {
        let limit = maximumBytes - reserve
        guard name.utf8.count > limit else { return name }
        let tag = "~" + SHA256.hex(Array(name.utf8)).prefix(16)
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in name.unicodeScalars {
            let width = String(scalar).utf8.count
            if bytes + width + tag.utf8.count > limit { break }
            kept.append(scalar)
            bytes += width
        }
        return String(kept) + tag
    }

    /// The `n`th name tried for `name` where earlier ones are taken (`name`, `name.1`, `name.2` …),
    /// fitted to leave `reserve` bytes for a suffix.
    public static func candidate(_ name: String, _ n: Int, reserve: Int = 0) -> String {
        fitted(n == 0 ? name : "\(name).\(n)", reserve: reserve)
    }

    /// A name whose bytes are not UTF-8, shown safely: every byte outside a valid UTF-8 sequence,
    /// and every `%`, as `%XX` (two upper-case hex digits); valid characters as they are. Bytes
    /// that are UTF-8 are returned as they are.
    public static func escaped(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var out = ""
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: i), scalar != "%" {
                out.unicodeScalars.append(scalar)
                i += length
            } else {
                out += "%" + hex(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The bytes `name` is the escaped form of, when they are not UTF-8 (nil otherwise: `name`
    /// then names itself).
    public static func unescaped(_ name: String) -> [UInt8]? {
        guard name.contains("%") else { return nil }
        let utf8 = Array(name.utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
               let high = hexValue(utf8[i + 1]), let low = hexValue(utf8[i + 2]) {
                bytes.append(high << 4 | low)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        guard String(validating: bytes, as: UTF8.self) == nil, escaped(bytes) == name else { return nil }
        return bytes
    }

    /// The scalar of the valid UTF-8 sequence starting at `i`, and its length.
    private static func decodeScalar(_ bytes: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let first = bytes[i]
        let length = first < 0x80 ? 1 : first >> 5 == 0b110 ? 2 : first >> 4 == 0b1110 ? 3 : first >> 3 == 0b11110 ? 4 : 0
        guard length > 0, i + length <= bytes.count,
              let text = String(validating: bytes[i..<(i + length)], as: UTF8.self),
              let scalar = text.unicodeScalars.first else { return nil }
        return (scalar, length)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
