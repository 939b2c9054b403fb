import ConsultCore

/// Who the messages are from, and the domain their ids end in (`[mail]` of the configuration).
public struct MailIdentity: Sendable, Equatable {
    public let from: Mailbox
    /// The right-hand side of `Message-ID`, `In-Reply-To` and `References`.
    public let domain: String

    /// Checks `domain` as an RFC 5321 domain (no address literal).
    public init(from: Mailbox, domain: String) throws(Refusal) {
        if domain.hasPrefix("[") || !domain.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            throw Refusal(.invalidAddress, "\"\(MailText.shown(domain, limit: 80))\" is not a domain name")
        }
        if let why = MailAddress.domainProblem(Array(domain.utf8)) {
            throw Refusal(.invalidAddress, "\"\(MailText.shown(domain, limit: 80))\" is not a domain name: \(why)")
        }
        self.from = from
        self.domain = domain
    }
}

/// One message, ready for `sendmail -t`: its header fields and its encoded body.
public struct MailMessage: Sendable, Equatable {
    /// Field names and values in order; a value's folds are `\n ` and it holds no other line break.
    public let headers: [Header]
    /// The quoted-printable body, lines separated by `\n`.
    public let body: String
    /// `To` then `Cc`, as checked.
    public let recipients: [MailAddress]
    /// `<NOTICE_ID@DOMAIN>`.
    public let messageID: String

    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    /// The message as bytes with `lineEnding` after every line: `\n` for sendmail, which takes
    /// text in the local convention, `\r\n` for the wire.
    public func bytes(lineEnding: String = "\r\n") -> [UInt8] {
        var text = ""
        for header in headers {
            text += header.name + ": " + header.value + "\n"
        }
        text += "\n" + body
        if !body.hasSuffix("\n") { text += "\n" }
        if lineEnding == "\n" { return Array(text.utf8) }
        return Array(text.replacing("\n", with: lineEnding).utf8)
    }
}

/// A notice as a mail message (contract §8): RFC 5322 and MIME, UTF-8 throughout.
public enum NoticeMail {
    /// The message for `notice`, from `identity`. `Date` is the notice's `created` (so a message
    /// sent again after a crash is the same message), or `fallbackDate` when that is no RFC 3339
    /// instant. Refused (`invalid_address`, `invalid_field`) when an address is not an RFC 5321
    /// mailbox, when there is no recipient, or when an id is not one: nothing of a notice reaches a
    /// header unchecked, and its subject only encoded, without its line breaks.
    public static func message(for notice: Notice, identity: MailIdentity, fallbackDate: String) throws(Refusal) -> MailMessage {
        guard isMessageIDPart(notice.noticeID) else {
            throw Refusal(.invalidField, "notice_id \"\(MailText.shown(notice.noticeID, limit: 80))\" is not a notice id (letters, digits, '.', '_', '-')")
        }
        guard Identifier.isValid(notice.consultation) else {
            throw Refusal(.invalidField, "consultation \"\(MailText.shown(notice.consultation, limit: 80))\" is not an identifier")
        }
        guard Identifier.isValid(notice.event) else {
            throw Refusal(.invalidField, "event \"\(MailText.shown(notice.event, limit: 80))\" is not an event name")
        }
        func addresses(_ list: [String], _ field: String) throws(Refusal) -> [MailAddress] {
            var checked: [MailAddress] = []
            for (i, text) in list.enumerated() {
                do {
                    checked.append(try MailAddress(text))
                } catch {
                    throw Refusal(.invalidAddress, "\(field)[\(i)]: \(error.reason)")
                }
            }
            return checked
        }
        let to = try addresses(notice.to, "to"), cc = try addresses(notice.cc, "cc")
        guard !to.isEmpty || !cc.isEmpty else { throw Refusal(.invalidField, "the notice has no recipient") }

        let messageID = "<\(notice.noticeID)@\(identity.domain)>"
        let thread = "<\(notice.consultation)@\(identity.domain)>"
        var headers: [MailMessage.Header] = []
        func add(_ name: String, _ value: String) { headers.append(MailMessage.Header(name: name, value: value)) }
        add("Date", MailDate.format(rfc3339: notice.created) ?? fallbackDate)
        add("From", fromValue(identity.from))
        if !to.isEmpty { add("To", HeaderText.addressList(to.map(\.description), name: "To")) }
        if !cc.isEmpty { add("Cc", HeaderText.addressList(cc.map(\.description), name: "Cc")) }
        add("Subject", HeaderText.unstructured(notice.subject, name: "Subject"))
        add("Message-ID", messageID)
        add("In-Reply-To", thread)
        add("References", thread)
        // RFC 3834: no vacation or out-of-office replies to a machine (and Exchange's own header).
        add("Auto-Submitted", "auto-generated")
        add("X-Auto-Response-Suppress", "All")
        if notice.priority.level <= Priority.err.level {
            add("Importance", "high")
            add("X-Priority", notice.priority.level <= Priority.crit.level ? "1 (Highest)" : "2 (High)")
        }
        // For mail filters: which consultation and event, without parsing the subject.
        add("X-Consultd-Consultation", notice.consultation)
        add("X-Consultd-Event", notice.event)
        add("MIME-Version", "1.0")
        add("Content-Type", "text/plain; charset=utf-8")
        add("Content-Transfer-Encoding", "quoted-printable")
        return MailMessage(headers: headers, body: QuotedPrintable.encode(MailText.body(notice.body)), recipients: to + cc, messageID: messageID)
    }

    /// `From`'s value: the address, after the display name when there is one (folded before the
    /// address when the line would be too long).
    static func fromValue(_ from: Mailbox) -> String {
        guard let name = from.name else { return from.address.description }
        let phrase = HeaderText.phrase(name, firstBudget: HeaderText.lineLimit - 6)
        let angle = "<\(from.address)>"
        let lastLine = phrase.split(separator: "\n").last.map(String.init) ?? phrase
        let used = (phrase.contains("\n") ? 0 : "From: ".utf8.count) + lastLine.utf8.count
        return phrase + (used + 1 + angle.utf8.count > HeaderText.lineLimit ? "\n " : " ") + angle
    }

    /// Whether `id` may stand before the `@` of a message id as it is: letters, digits, `.`, `_`,
    /// `-` (what notice ids are made of), not starting with a dot, at most 200 bytes.
    static func isMessageIDPart(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...200).contains(bytes.count), bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { MailAddress.isLetterOrDigit($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }
}

/// Reading an outbox file back (contract §8): `NOTICE_ID.json`, written by consultd.
public enum NoticeFile {
    /// A notice file larger than this is refused unread (`too_large`): consultd writes a few KB.
    public static let maximumBytes = 4 << 20

    /// The notice `bytes` hold. `name` is the file's name: its `notice_id` must be the name
    /// without `.json`, as consultd writes it.
    public static func notice(name: String, bytes: [UInt8]) throws(Refusal) -> Notice {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Refusal(.invalidUTF8, "the file is not valid UTF-8")
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(bytes)
        } catch {
            throw Refusal(.malformedJSON, "not a JSON notice: \(error)")
        }
        let notice: Notice
        do {
            notice = try Notice(outbox: json)
        } catch {
            throw Refusal(.invalidField, "not a notice: \(error)")
        }
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        guard notice.noticeID == stem else {
            throw Refusal(.invalidField, "notice_id \"\(MailText.shown(notice.noticeID, limit: 80))\" is not the file's name (\(MailText.shown(stem, limit: 80)).json)")
        }
        return notice
    }
}
