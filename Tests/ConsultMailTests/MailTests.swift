import ConsultCore
import ConsultMail
import Foundation
import Testing

/// Decodes what the message says, as a mail reader would: RFC 2047 B-words and quoted-printable.
enum Reader {
    /// An unstructured header's value: folds removed, adjacent encoded-words joined.
    static func unstructured(_ value: String) -> String {
        let unfolded = value.replacingOccurrences(of: "\n ", with: " ")
        let words = unfolded.split(separator: " ", omittingEmptySubsequences: false)
        guard words.allSatisfy({ $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") }) else { return unfolded }
        var bytes: [UInt8] = []
        for word in words {
            let payload = word.dropFirst(10).dropLast(2)
            bytes += Array(Data(base64Encoded: String(payload))!)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func quotedPrintable(_ encoded: String) -> String {
        var out: [UInt8] = []
        let lines = encoded.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            var soft = false
            if bytes.last == UInt8(ascii: "=") {
                soft = true
                bytes.removeLast()
            }
            var k = 0
            while k < bytes.count {
                if bytes[k] == UInt8(ascii: "=") {
                    out.append(UInt8(String(decoding: bytes[(k + 1)...(k + 2)], as: UTF8.self), radix: 16)!)
                    k += 3
                } else {
                    out.append(bytes[k])
                    k += 1
                }
            }
            if !soft && i < lines.count - 1 { out.append(UInt8(ascii: "\n")) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@Suite("RFC 5321 addresses")
struct AddressTests {
    @Test(arguments: ["office.stc@example.vn", "a+tag@sub.example.vn", "\"two words\"@example.vn", "x@[192.0.2.1]",
                      "root@localhost", "o'neil@example.vn", "a@xn--h-ufa.vn", "x@[IPv6:2001:db8::1]"])
    func accepted(_ text: String) throws {
        let address = try MailAddress(text)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("", "empty"), ("example.vn", "no @"), ("@example.vn", "nothing before"), ("a@", "nothing after"),
        ("a..b@example.vn", "two in a row"), (".a@example.vn", "dot at the start"), ("a b@example.vn", "a space"),
        ("a@example.vn\r\nBcc: victim@evil.example", "control"), ("Sở@example.vn", "SMTPUTF8"), ("a@sở.vn", "xn--"),
        ("Văn thư <a@example.vn>", "write the address alone"), ("a@-x.vn", "hyphen"),
        ("a@x..vn", "empty label"), ("a@x_y.vn", "\"_\""), ("<a@example.vn>", "angle brackets"), ("a@example.vn.", "empty label"),
        ("a@[300.1.1.1]", "literal"), (String(repeating: "a", count: 65) + "@example.vn", "at most 64"),
        ("a@" + String(repeating: "b", count: 64) + ".vn", "at most 63"),
        (String(repeating: "a", count: 10_000) + "@example.vn", "at most 254"), ("\"a\"b\"@example.vn", "escaped"),
    ])
    func refused(_ text: String, _ why: String) {
        #expect(throws: Refusal.self) { try MailAddress(text) }
        do {
            _ = try MailAddress(text)
        } catch {
            #expect(error.code == .invalidAddress)
            #expect(error.reason.contains(why), "\(error.reason)")
            #expect(!error.reason.contains("\r") && !error.reason.contains("\n"))
            #expect(error.reason.count < 300)
        }
    }

    @Test func mailboxesWithAndWithoutNames() throws {
        #expect(try Mailbox("consultd@hanoi.gov.vn") == Mailbox(address: MailAddress("consultd@hanoi.gov.vn")))
        let named = try Mailbox("Văn phòng UBND <vanphong@hanoi.gov.vn>")
        #expect(named.name == "Văn phòng UBND")
        #expect(named.address.description == "vanphong@hanoi.gov.vn")
        #expect(try Mailbox("\"Consult, Daemon\" <c@x.vn>").name == "Consult, Daemon")
        #expect(throws: Refusal.self) { try Mailbox("Name <c@x.vn> trailing") }
        #expect(throws: Refusal.self) { try Mailbox("Na\nme <c@x.vn>") }
        #expect(throws: Refusal.self) { try Mailbox("Name <not an address>") }
    }
}

@Suite("Header text: RFC 2047 and folding")
struct HeaderTextTests {
    static let subjects = [
        "Quá hạn trả lời: Dự thảo Đề án phát triển nhà ở xã hội giai đoạn 2025–2030 trên địa bàn thành phố Hà Nội",
        "Reply overdue: Draft scheme for social housing [HN-2025-SXD-0153]",
        "Đề án", "", "x", " leading and trailing ", "double  space", "=?UTF-8?B?Zm9v?= is not a word of ours",
        String(repeating: "Nhắc nhở ", count: 1200),
        String(repeating: "a", count: 500),
        "emoji 👩‍👩‍👧‍👦 family and flags 🇻🇳🇻🇳🇻🇳",
        "e" + String(repeating: "\u{301}", count: 100) + " stacked marks",
        // Decomposed (NFD) Vietnamese: letters with combining marks.
        "Tho\u{302}\u{301}ng nha\u{302}\u{301}t ve\u{302}\u{300} Đie\u{302}\u{300}u 5",
    ]

    @Test(arguments: subjects)
    func subjectsDecodeToTheTextInShortLines(_ subject: String) {
        let value = HeaderText.unstructured(subject, name: "Subject")
        #expect(Reader.unstructured(value) == subject)
        let lines = ("Subject: " + value).split(separator: "\n")
        for line in lines {
            #expect(line.utf8.count <= 76, "\(line)")
        }
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\n" }) where word.hasPrefix("=?") {
            #expect(word.utf8.count <= 75)
        }
        #expect(!value.contains("\r"))
        #expect(value.utf8.allSatisfy { $0 < 0x80 })
    }

    @Test func encodedWordsEndBetweenCharacters() {
        let text = String(repeating: "Nghị định 147/2020/NĐ-CP ", count: 20)
        for word in HeaderText.encodedWords(text) {
            let bytes = Array(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!)
            #expect(String(validating: bytes, as: UTF8.self) != nil, "\(word)")
        }
        // Combining marks stay with their letter when the cluster fits in a word.
        let decomposed = String(repeating: "a\u{302}\u{301}", count: 40)
        for word in HeaderText.encodedWords(decomposed) {
            let text = String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
            #expect(text.unicodeScalars.first == "a")
        }
    }

    @Test func lineBreaksAndControlsNeverReachAHeader() {
        let hostile = "Đề án\r\nBcc: victim@evil.example\nX-Injected: 1\r\u{85}\u{2028}\t\u{1B}[2J\u{202E}end"
        let value = HeaderText.unstructured(hostile, name: "Subject")
        let decoded = Reader.unstructured(value)
        #expect(!decoded.contains("\n") && !decoded.contains("\r") && !decoded.contains("\u{1B}") && !decoded.contains("\u{202E}"))
        #expect(decoded == "Đề án Bcc: victim@evil.example X-Injected: 1    ?[2J?end")
        #expect(!value.contains("\r"))
        #expect(value.split(separator: "\n").dropFirst().allSatisfy { $0.hasPrefix(" ") })
        let ascii = HeaderText.unstructured("Subject line\r\nBcc: victim@evil.example", name: "Subject")
        #expect(ascii == "Subject line Bcc: victim@evil.example")
        #expect(!ascii.contains("\nBcc"))
    }

    @Test func plainASCIIStaysReadable() {
        #expect(HeaderText.unstructured("Reply overdue [HN-1]", name: "Subject") == "Reply overdue [HN-1]")
        let long = HeaderText.unstructured(String(repeating: "word ", count: 40).trimmingCharacters(in: .whitespaces), name: "Subject")
        #expect(!long.contains("=?"))
        #expect(long.split(separator: "\n").count > 1)
        #expect(Reader.unstructured(long) == String(repeating: "word ", count: 40).trimmingCharacters(in: .whitespaces))
    }

    @Test func phrases() {
        #expect(HeaderText.phrase("consultd") == "consultd")
        #expect(HeaderText.phrase("Văn phòng").hasPrefix("=?UTF-8?B?"))
        #expect(HeaderText.phrase("Consult, Daemon") == "\"Consult, Daemon\"")
        #expect(HeaderText.phrase("say \"hi\"") == "\"say \\\"hi\\\"\"")
    }
}

@Suite("Quoted-printable bodies")
struct QuotedPrintableTests {
    static let bodies = [
        "Kính gửi Sở Tài chính,\nHạn trả lời là ngày 07/02/2025.\n",
        "no final newline", "", "\n", "\n\n\n", "trailing space \ntrailing tab\t\nend",
        ".\n. dot line\nFrom the lead\nFrom\n>From", "a=b==c", "cr\r\nlf\rlone", "\u{0}nul and \u{1B}[31mred",
        String(repeating: "x", count: 300), String(repeating: "Đ", count: 300), String(repeating: "ab cd ", count: 100),
        String(repeating: " ", count: 200) + "\n", "👩‍👩‍👧‍👦 " + String(repeating: "🇻🇳", count: 50),
        String(repeating: "Nội dung được đánh giá chưa rõ ràng: “Về cơ bản thống nhất.” ", count: 30),
    ]

    @Test(arguments: bodies)
    func decodesToTheTextInShortPrintableLines(_ body: String) {
        let encoded = QuotedPrintable.encode(body)
        #expect(Reader.quotedPrintable(encoded) == body)
        for line in encoded.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(line.last != " " && line.last != "\t")
            #expect(!line.hasPrefix(".") && !line.hasPrefix("From "))
        }
        #expect(encoded.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A })
    }

    @Test func eachLineIsUTF8OnItsOwn() {
        let encoded = QuotedPrintable.encode(String(repeating: "Điều 5 khoản 2: đề nghị bổ sung nguồn vốn. ", count: 10))
        for line in encoded.split(separator: "\n") {
            let decoded = Reader.quotedPrintable(String(line))
            #expect(String(validating: Array(decoded.utf8), as: UTF8.self) != nil)
            #expect(!decoded.contains("\u{FFFD}"), "\(line)")
        }
    }
}

@Suite("Notices as messages")
struct NoticeMailTests {
    static let identity = try! MailIdentity(from: Mailbox("Hệ thống theo dõi lấy ý kiến <consultd@hanoi.example.vn>"),
                                            domain: "consultd.example.vn")

    static func notice(priority: Priority = .warning, to: [String] = ["office.stc@example.vn"],
                       cc: [String] = ["office.sxd@example.vn", "leaders@example.vn"], subject: String = "Quá hạn: Dự thảo Đề án",
                       body: String = "Kính gửi Sở Tài chính,\nĐã quá hạn.\n", created: String = "2025-02-10T08:00:00+07:00") -> Notice {
        Notice(noticeID: "HN-2025-SXD-0153.STC.overdue", event: "overdue", step: "overdue", priority: priority,
               consultation: "HN-2025-SXD-0153", title: "Dự thảo", lead: "SXD", agency: "STC",
               deadline: LocalDate(iso: "2025-02-07"), daysLate: 1, lateDetected: false, reasons: ["no_reply"], to: to, cc: cc,
               subject: subject, body: body, created: created)
    }

    static func header(_ message: MailMessage, _ name: String) -> String? { message.headers.first { $0.name == name }?.value }

    @Test func everyHeaderOfTheContract() throws {
        let message = try NoticeMail.message(for: Self.notice(), identity: Self.identity, fallbackDate: "unused")
        #expect(Self.header(message, "Date") == "Mon, 10 Feb 2025 08:00:00 +0700")
        #expect(Self.header(message, "To") == "office.stc@example.vn")
        #expect(Self.header(message, "Cc") == "office.sxd@example.vn, leaders@example.vn")
        #expect(Reader.unstructured(Self.header(message, "Subject")!) == "Quá hạn: Dự thảo Đề án")
        #expect(Self.header(message, "Message-ID") == "<HN-2025-SXD-0153.STC.overdue@consultd.example.vn>")
        #expect(Self.header(message, "In-Reply-To") == "<HN-2025-SXD-0153@consultd.example.vn>")
        #expect(Self.header(message, "References") == "<HN-2025-SXD-0153@consultd.example.vn>")
        #expect(Self.header(message, "Auto-Submitted") == "auto-generated")
        #expect(Self.header(message, "MIME-Version") == "1.0")
        #expect(Self.header(message, "Content-Type") == "text/plain; charset=utf-8")
        #expect(Self.header(message, "Content-Transfer-Encoding") == "quoted-printable")
        #expect(Self.header(message, "Importance") == nil)
        #expect(Self.header(message, "X-Priority") == nil)
        #expect(Reader.quotedPrintable(message.body) == "Kính gửi Sở Tài chính,\nĐã quá hạn.\n")
        #expect(message.recipients.map(\.description) == ["office.stc@example.vn", "office.sxd@example.vn", "leaders@example.vn"])
        let from = try #require(Self.header(message, "From"))
        #expect(from.hasSuffix("<consultd@hanoi.example.vn>"))
        #expect(Reader.unstructured(String(from.dropLast(" <consultd@hanoi.example.vn>".count)).replacingOccurrences(of: "\n", with: ""))
            == "Hệ thống theo dõi lấy ý kiến")
    }

    /// A title with terminal escapes, a bell and a bidi override, carried into the notice: the
    /// decoded subject and body hold `?` in their place, and keep their lines.
    @Test func controlsFromADocumentNeverReachTheReader() throws {
        let notice = Self.notice(subject: "Quá hạn: \u{1B}[31mĐỏ\u{07}\u{202E}txt", body: "Dự thảo \u{1B}]0;x\u{07} \u{202E}gnp.exe\nDòng hai\n")
        let message = try NoticeMail.message(for: notice, identity: Self.identity, fallbackDate: "unused")
        #expect(Reader.unstructured(Self.header(message, "Subject")!) == "Quá hạn: ?[31mĐỏ??txt")
        #expect(Reader.quotedPrintable(message.body) == "Dự thảo ?]0;x? ?gnp.exe\nDòng hai\n")
    }

    @Test(arguments: [(Priority.warning, nil), (.err, "2 (High)"), (.crit, "1 (Highest)"), (.alert, "1 (Highest)"), (.notice, nil)])
    func importanceForErrAndAbove(_ priority: Priority, _ xPriority: String?) throws {
        let message = try NoticeMail.message(for: Self.notice(priority: priority), identity: Self.identity, fallbackDate: "x")
        #expect(Self.header(message, "X-Priority") == xPriority)
        #expect(Self.header(message, "Importance") == (xPriority == nil ? nil : "high"))
    }

    @Test func theBytesForSendmailAndForTheWire() throws {
        let notice = Self.notice(subject: "Đề án\r\nBcc: victim@evil.example", body: "line\r\nnext\n")
        let message = try NoticeMail.message(for: notice, identity: Self.identity, fallbackDate: "x")
        let local = String(decoding: message.bytes(lineEnding: "\n"), as: UTF8.self)
        #expect(!local.contains("\r"))
        let (head, _) = try #require(local.split(separator: "\n\n", maxSplits: 1).map(String.init).splitPair())
        #expect(!head.split(separator: "\n").contains { $0.hasPrefix("Bcc") })
        for line in head.split(separator: "\n") { #expect(line.utf8.count <= 78, "\(line)") }
        let wire = message.bytes()
        #expect(wire.suffix(2) == [13, 10])
        let text = String(decoding: wire, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func aBadAddressOrNoRecipientIsRefused() {
        #expect(throws: Refusal.self) {
            try NoticeMail.message(for: Self.notice(cc: ["ok@example.vn", "not an address"]), identity: Self.identity, fallbackDate: "x")
        }
        do {
            _ = try NoticeMail.message(for: Self.notice(cc: ["ok@example.vn", "x@y.vn\r\nBcc: z@evil"]), identity: Self.identity, fallbackDate: "x")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .invalidAddress)
            #expect(error.reason.hasPrefix("cc[1]: "))
        }
        do {
            _ = try NoticeMail.message(for: Self.notice(to: [], cc: []), identity: Self.identity, fallbackDate: "x")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .invalidField)
        }
        var hostile = Self.notice()
        hostile.noticeID = "x@evil>\r\nBcc: a@b"
        #expect(throws: Refusal.self) { try NoticeMail.message(for: hostile, identity: Self.identity, fallbackDate: "x") }
    }

    @Test func onlyCcAndTheDateFallback() throws {
        let message = try NoticeMail.message(for: Self.notice(to: [], created: "yesterday"), identity: Self.identity,
                                             fallbackDate: "Tue, 01 Dec 2026 22:00:00 +0000")
        #expect(Self.header(message, "To") == nil)
        #expect(Self.header(message, "Date") == "Tue, 01 Dec 2026 22:00:00 +0000")
    }

    @Test func manyRecipientsFoldBetweenAddresses() throws {
        let many = (1...300).map { "office\($0)@example.vn" }
        let message = try NoticeMail.message(for: Self.notice(to: many, cc: []), identity: Self.identity, fallbackDate: "x")
        let to = try #require(Self.header(message, "To"))
        #expect(to.replacingOccurrences(of: "\n ", with: " ") == many.joined(separator: ", "))
        #expect(("To: " + to).split(separator: "\n").allSatisfy { $0.utf8.count <= 76 })
    }

    @Test func datesInRFC5322() {
        #expect(MailDate.format(rfc3339: "2025-02-10T08:00:00+07:00") == "Mon, 10 Feb 2025 08:00:00 +0700")
        #expect(MailDate.format(rfc3339: "2024-02-29T23:59:59Z") == "Thu, 29 Feb 2024 23:59:59 +0000")
        #expect(MailDate.format(rfc3339: "2025-01-01T00:30:00-03:30") == "Wed, 01 Jan 2025 00:30:00 -0330")
        #expect(MailDate.format(rfc3339: "2025-02-10") == nil)
    }

    @Test func identityChecksItsDomain() {
        #expect(throws: Refusal.self) { try MailIdentity(from: Self.identity.from, domain: "bad domain") }
        #expect(throws: Refusal.self) { try MailIdentity(from: Self.identity.from, domain: "[192.0.2.1]") }
        #expect(throws: Refusal.self) { try MailIdentity(from: Self.identity.from, domain: "x>\r\nBcc: y") }
    }
}

@Suite("Outbox files and sendmail statuses")
struct NoticeFileTests {
    static let valid = #"{"notice_id": "C1.STC.overdue", "event": "overdue", "step": "overdue", "priority": "warning", "consultation": "C1", "title": "t", "lead": "SXD", "agency": "STC", "deadline": "2025-02-07", "days_late": 1, "late_detected": false, "reasons": [], "to": ["a@example.vn"], "cc": [], "subject": "s", "body": "b", "created": "2025-02-10T08:00:00+07:00"}"#

    @Test func readsWhatConsultdWrites() throws {
        let notice = try NoticeFile.notice(name: "C1.STC.overdue.json", bytes: Array(Self.valid.utf8))
        #expect(notice.noticeID == "C1.STC.overdue")
        #expect(notice.to == ["a@example.vn"])
    }

    @Test(arguments: [
        ("C1.STC.overdue.json", [0xC3, 0x28], "invalid_utf8"),
        ("C1.STC.overdue.json", Array("{\"notice_id\": ".utf8), "malformed_json"),
        ("C1.STC.overdue.json", Array("[]".utf8), "invalid_field"),
        ("C1.STC.overdue.json", Array(valid.replacingOccurrences(of: "\"to\": [\"a@example.vn\"]", with: "\"to\": \"a@example.vn\"").utf8), "invalid_field"),
        ("other.json", Array(valid.utf8), "invalid_field"),
    ] as [(String, [UInt8], String)])
    func refusesWhatIsNoNotice(_ name: String, _ bytes: [UInt8], _ code: String) {
        do {
            _ = try NoticeFile.notice(name: name, bytes: bytes)
            Issue.record("accepted")
        } catch {
            #expect(error.code.rawValue == code, "\(error.reason)")
        }
    }

    @Test func sendmailStatuses() {
        #expect(SendmailStatus.verdict(exitStatus: 0) == .delivered)
        for status: Int32 in [65, 67, 68] { #expect(SendmailStatus.verdict(exitStatus: status) == .permanent) }
        for status: Int32 in [1, 64, 69, 70, 71, 73, 74, 75, 77, 78, 127, 255] {
            #expect(SendmailStatus.verdict(exitStatus: status) == .temporary)
        }
        #expect(SendmailStatus.name(75) == "EX_TEMPFAIL")
        #expect(SendmailStatus.name(67) == "EX_NOUSER")
        #expect(SendmailStatus.name(1) == nil)
    }
}

extension Array where Element == String {
    func splitPair() -> (String, String)? { count == 2 ? (self[0], self[1]) : nil }
}
