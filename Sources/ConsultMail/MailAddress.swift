import ConsultCore

/// An address as SMTP takes it (RFC 5321 §4.1.2 `Mailbox`: `Local-part "@" Domain`), checked:
/// what passes can be written into a header and handed to sendmail as it is.
///
/// ASCII only: an internationalised address needs SMTPUTF8, which a local sendmail does not
/// promise, and a domain in Unicode is written in its `xn--` form.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let localPart: String
    public let domain: String

    /// RFC 5321 §4.5.3.1: a path is at most 256 octets with its angle brackets.
    public static let maximumLength = 254

    /// Checks `text` as an RFC 5321 mailbox: a dot-string or quoted-string local part of at most
    /// 64 octets, `@`, and a domain (letters, digits and hyphens in labels of at most 63, or an
    /// address literal such as `[192.0.2.1]`). Nothing around it: no name, no brackets, no spaces.
    public init(_ text: String) throws(Refusal) {
        func refuse(_ why: String) -> Refusal {
            Refusal(.invalidAddress, "\"\(MailText.shown(text, limit: 80))\" is not an e-mail address: \(why)")
        }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw refuse("it is empty") }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw refuse("it holds control characters") }
        if text.contains("<") && text.hasSuffix(">") {
            throw refuse("a name and angle brackets are not allowed here; write the address alone")
        }
        guard bytes.allSatisfy({ $0 < 0x7F }) else {
            let at = text.lastIndex(of: "@")
            if let at, text[at...].unicodeScalars.contains(where: { !$0.isASCII }) {
                throw refuse("its domain holds characters outside ASCII (write it in its xn-- form)")
            }
            throw refuse("it holds characters outside ASCII (an internationalised address needs SMTPUTF8, which is not used)")
        }
        guard bytes.count <= Self.maximumLength else { throw refuse("it is \(bytes.count) characters long; at most \(Self.maximumLength)") }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { throw refuse("it has no @") }
        let local = Array(bytes[..<at]), domain = Array(bytes[(at + 1)...])
        guard !local.isEmpty else { throw refuse("nothing before the @") }
        guard local.count <= 64 else { throw refuse("the part before the @ is \(local.count) characters long; at most 64") }
        if let why = Self.localPartProblem(local) { throw refuse(why) }
        if let why = Self.domainProblem(domain) { throw refuse(why) }
        localPart = String(decoding: local, as: UTF8.self)
        self.domain = String(decoding: domain, as: UTF8.self)
    }

    public var description: String { "\(localPart)@\(domain)" }

    /// RFC 5322 `atext`: the characters of an atom.
    static func isAtext(_ b: UInt8) -> Bool {
        (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b)
            || "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
    }

    /// Why `local` is neither a Dot-string (atoms joined by single dots) nor a Quoted-string
    /// (printable ASCII between double quotes, `"` and `\` escaped by `\`); nil when it is one.
    static func localPartProblem(_ local: [UInt8]) -> String? {
        if local.first == UInt8(ascii: "\"") {
            guard local.count >= 2, local.last == UInt8(ascii: "\"") else { return "an unterminated quoted local part" }
            var i = 1
            while i < local.count - 1 {
                if local[i] == UInt8(ascii: "\\") {
                    guard i + 1 < local.count - 1 else { return "a backslash at the end of a quoted local part" }
                    i += 2
                } else if local[i] == UInt8(ascii: "\"") {
                    return "a double quote inside a quoted local part must be escaped"
                } else {
                    i += 1
                }
            }
            return nil
        }
        let atoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ !$0.isEmpty }) else { return "a dot at the start or end of the local part, or two in a row" }
        if let bad = local.first(where: { $0 != UInt8(ascii: ".") && !isAtext($0) }) {
            return "\(MailText.describe(bad)) is not allowed before the @ (unless the local part is quoted)"
        }
        return nil
    }

    /// Why `domain` is no RFC 5321 Domain or address literal; nil when it is one.
    public static func domainProblem(_ domain: [UInt8]) -> String? {
        guard !domain.isEmpty else { return "nothing after the @" }
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]"), domain.count > 2 else { return "an unterminated address literal" }
            let inner = String(decoding: domain.dropFirst().dropLast(), as: UTF8.self)
            if isIPv4(inner) { return nil }
            if inner.hasPrefix("IPv6:"), inner.count > 5,
               inner.dropFirst(5).utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) {
                return nil
            }
            return "the address literal [\(MailText.shown(inner, limit: 40))] is neither an IPv4 nor an IPv6: address"
        }
        guard domain.count <= 253 else { return "the domain is \(domain.count) characters long; at most 253" }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "the domain has an empty label (a dot at its start or end, or two in a row)" }
            guard label.count <= 63 else { return "a label of the domain is \(label.count) characters long; at most 63" }
            if let bad = label.first(where: { !isLetterOrDigit($0) && $0 != UInt8(ascii: "-") }) {
                return "\(MailText.describe(bad)) is not allowed in a domain (letters, digits, hyphens and dots)"
            }
            guard label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
                return "a label of the domain starts or ends with a hyphen"
            }
        }
        return nil
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            (1...3).contains(p.count) && p.utf8.allSatisfy { (0x30...0x39).contains($0) } && Int(p)! <= 255
        }
    }

    static func isHex(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b) }
    static func isLetterOrDigit(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
}

/// A sender as the `From` header shows it: an address, with a display name or without.
public struct Mailbox: Sendable, Equatable, CustomStringConvertible {
    public let name: String?
    public let address: MailAddress

    public init(name: String? = nil, address: MailAddress) {
        self.name = name
        self.address = address
    }

    /// Reads `addr@domain` or `Display Name <addr@domain>`; the name may be any text without
    /// control characters (Vietnamese too: it is RFC 2047-encoded in the header).
    public init(_ text: String) throws(Refusal) {
        guard let open = text.lastIndex(of: "<") else {
            self.init(address: try MailAddress(text))
            return
        }
        guard text.hasSuffix(">") else {
            let why = text[open...].contains(">") ? "nothing may follow the closing >" : "the < has no closing >"
            throw Refusal(.invalidAddress, "\"\(MailText.shown(text, limit: 80))\" is not an e-mail address: \(why)")
        }
        var name = String(text[..<open])
        while name.last == " " { name.removeLast() }
        while name.first == " " { name.removeFirst() }
        if name.count >= 2, name.first == "\"", name.last == "\"" { name = String(name.dropFirst().dropLast()) }
        if name.unicodeScalars.contains(where: Printable.isControl) {
            throw Refusal(.invalidAddress, "the display name of \"\(MailText.shown(text, limit: 80))\" holds control characters")
        }
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        self.init(name: name.isEmpty ? nil : name, address: try MailAddress(inner))
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address.description }
}

extension Refusal.Code {
    /// An address of a notice or of the configuration is no RFC 5321 mailbox.
    public static let invalidAddress = Refusal.Code(rawValue: "invalid_address")
}
