import ConsultCore
import Testing

@Suite("JSON reader")
struct JSONReaderTests {
    func parse(_ s: String) throws(JSONSyntaxError) -> JSONValue { try JSONReader.parse(Array(s.utf8)) }

    @Test func readsValues() throws {
        let v = try parse(#"{"a": [1, -2.5e3, true, null, "x\u00e9\n"], "b": {}}"#)
        #expect(v["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .null, .string("xé\n")]))
    }

    @Test func pointsAtLineAndColumn() {
        #expect(throws: JSONSyntaxError(line: 3, column: 10, message: "expected ',' or '}'")) {
            try parse("{\n  \"a\": 1,\n  \"b\": 2 \"c\"}")
        }
    }

    @Test(arguments: [
        "{\"a\": 1, \"a\": 2}", "\u{FEFF}{}", "{\"a\": \"\\u0000\"}", "[1,]", "{\"a\" 1}", "01", "\"\\ud800\"",
        "{\"a\": \"line\nbreak\"}", String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "",
    ])
    func refuses(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try parse(text) }
    }
}

@Suite("Document schemas")
struct DocumentParserTests {
    func parse(_ s: String) throws(Refusal) -> Document { try DocumentParser.parse(Array(s.utf8)) }

    func code(_ s: String) -> String? {
        do {
            _ = try parse(s)
            return nil
        } catch {
            return error.code.rawValue
        }
    }

    @Test func request() throws {
        let doc = try parse(#"""
            {"kind": "request", "id": "HN-2025-SXD-0153", "title": "Dự thảo", "lead": "SXD",
             "consulted": ["STC", "SNNMT"], "sent": "2025-01-20T09:15:00+07:00", "urgency": "urgent",
             "reply_days": 10, "deadline": "2025-02-07", "reference": "123/SXD-QLN", "extra": {"ignored": true}}
            """#)
        guard case let .request(r) = doc else { Issue.record("not a request"); return }
        #expect(r.id == "HN-2025-SXD-0153")
        #expect(r.consulted == ["STC", "SNNMT"])
        #expect(r.urgency == .urgent)
        #expect(r.replyDays == 10)
        #expect(r.deadline == LocalDate(iso: "2025-02-07"))
    }

    @Test func otherKinds() throws {
        #expect(try parse(#"{"kind":"reply","request":"R1","agency":"STC","received":"2025-02-06T16:40:00+07:00","position":"agree"}"#).kind == .reply)
        #expect(try parse(#"{"kind":"extension","request":"R1","deadline":"2025-03-01","reason":"bổ sung hồ sơ"}"#).kind == .extension)
        #expect(try parse(#"{"kind":"withdrawal","request":"R1","agencies":["STC"],"reason":"không còn cần"}"#).kind == .withdrawal)
        #expect(try parse(#"{"kind":"resolution","request":"R1","agency":"STC","outcome":"đã thống nhất","received":"2025-02-06T16:40:00+07:00"}"#).kind == .resolution)
    }

    @Test(arguments: [
        (#"{"kind":"memo"}"#, "unknown_kind"),
        (#"{"id":"x"}"#, "invalid_field"),
        (#"[1]"#, "invalid_field"),
        (#"{"kind":"request","id":"../../etc/passwd","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:15:00+07:00"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":[],"sent":"2025-01-20T09:15:00+07:00"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["STC","STC"],"sent":"2025-01-20T09:15:00+07:00"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["SXD"],"sent":"2025-01-20T09:15:00+07:00"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-01-20"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:15:00+07:00","reply_days":"10"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:15:00+07:00","reply_days":1.5}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:15:00+07:00","urgency":"asap"}"#, "invalid_field"),
        (#"{"kind":"request","id":"A","title":123,"lead":"SXD","consulted":["STC"],"sent":"2025-01-20T09:15:00+07:00"}"#, "invalid_field"),
        (#"{"kind":"reply","request":"R1","agency":"STC","received":"2025-02-06T16:40:00+07:00","position":"maybe"}"#, "invalid_field"),
        (#"{"kind":"reply","request":"R1","agency":"S\u202eTC","received":"2025-02-06T16:40:00+07:00"}"#, "invalid_field"),
        (#"{"kind":"reply","request":"R1","agency":"STC","received":"2025-02-06T16:40:00+07:00","comments":[1]}"#, "invalid_field"),
        (#"{"kind":"extension","request":"R1","deadline":"2025-02-30","reason":"x"}"#, "invalid_field"),
        (#"{"kind":"extension","request":"R1","deadline":"2025-02-20","reason":"  "}"#, "invalid_field"),
        (#"{"kind":"reply","request":"R1","agency":"STC","agency":"STP","received":"2025-02-06T16:40:00+07:00"}"#, "malformed_json"),
        ("{\"kind\":\"reply\",\"request\":\"R1\"", "malformed_json"),
    ])
    func refusals(text: String, expected: String) {
        #expect(code(text) == expected)
    }

    @Test func invalidUTF8() {
        var bytes = Array(#"{"kind":"reply","text":"x"}"#.utf8)
        bytes.insert(0xC0, at: 20)  // overlong lead byte
        #expect(throws: Refusal.self) { try DocumentParser.parse(bytes) }
        do { _ = try DocumentParser.parse(bytes) } catch { #expect(error.code == .invalidUTF8) }
    }

    @Test func identifiers() {
        #expect(Identifier.isValid("HN-2025-SXD-0153"))
        #expect(Identifier.isValid("a.b_c-d"))
        #expect(!Identifier.isValid(".hidden"))
        #expect(!Identifier.isValid("a/b"))
        #expect(!Identifier.isValid(String(repeating: "a", count: 65)))
        #expect(!Identifier.isValid("Sở"))
        #expect(!Identifier.isValid(""))
    }

    @Test func sha256() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SHA256.hex(Array(String(repeating: "a", count: 1_000_000).utf8)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// The processor's SHA extensions (where this machine has them) and the portable rounds give
    /// the same digests, at every length around the block and padding boundaries.
    @Test func sha256BothPaths() {
        let bytes = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for count in 0...bytes.count {
            let data = Array(bytes.prefix(count))
            #expect(SHA256.digest(data) == SHA256.portableDigest(data), "\(count) bytes")
        }
        let abc = SHA256.portableDigest(Array("abc".utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

/// Identical content is canonical (contract §3): parsed values, whatever the key order,
/// whitespace, number spelling or offset, with `consulted` and `agencies` compared as sets.
@Suite("Canonical content")
struct CanonicalContentTests {
    func key(_ s: String) throws -> String { try DocumentParser.parse(Array(s.utf8)).canonicalKey }

    @Test func aRequestReSerialisedIsTheSame() throws {
        let a = try key(#"{"kind": "request", "id": "HN-1", "title": "Đề án", "lead": "SXD", "consulted": ["STC", "SNNMT"], "sent": "2025-03-03T09:00:00+07:00", "reply_days": 10}"#)
        let b = try key(#"{"reply_days":1e1,"sent":"2025-03-03T02:00:00Z","consulted":["SNNMT","STC"],"lead":"SXD","title":"Đề án","id":"HN-1","kind":"request","urgency":"normal","x-unknown":1}"#)
        #expect(a == b)
        #expect(try key(#"{"kind": "request", "id": "HN-1", "title": "Đề án", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "reply_days": 10}"#) != a)
        #expect(try key(#"{"kind": "request", "id": "HN-1", "title": "Đề án.", "lead": "SXD", "consulted": ["STC", "SNNMT"], "sent": "2025-03-03T09:00:00+07:00", "reply_days": 10}"#) != a)
    }

    @Test func aReplyReSerialisedIsTheSameButCommentsKeepTheirOrder() throws {
        let a = try key(#"{"kind": "reply", "request": "HN-1", "agency": "STC", "received": "2025-03-05T16:40:00+07:00", "position": "agree_with_comments", "comments": ["Điều 5: bổ sung.", "Điều 7: bỏ."]}"#)
        let b = try key("{\n  \"comments\": [\"Điều 5: bổ sung.\", \"Điều 7: bỏ.\"],\n  \"position\": \"agree_with_comments\",\n  \"received\": \"2025-03-05T16:40:00.000+07:00\",\n  \"agency\": \"STC\", \"request\": \"HN-1\", \"kind\": \"reply\"\n}")
        #expect(a == b)
        #expect(try key(#"{"kind": "reply", "request": "HN-1", "agency": "STC", "received": "2025-03-05T16:40:00+07:00", "position": "agree_with_comments", "comments": ["Điều 7: bỏ.", "Điều 5: bổ sung."]}"#) != a)
        #expect(try key(#"{"kind": "reply", "request": "HN-1", "agency": "STC", "received": "2025-03-05T16:41:00+07:00", "position": "agree_with_comments", "comments": ["Điều 5: bổ sung.", "Điều 7: bỏ."]}"#) != a)
    }

    @Test func agenciesAreASet() throws {
        #expect(try key(#"{"kind": "withdrawal", "request": "HN-1", "agencies": ["STC", "SNNMT"], "reason": "x"}"#)
            == key(#"{"reason": "x", "agencies": ["SNNMT", "STC"], "request": "HN-1", "kind": "withdrawal"}"#))
        #expect(try key(#"{"kind": "withdrawal", "request": "HN-1", "reason": "x"}"#)
            != key(#"{"kind": "withdrawal", "request": "HN-1", "agencies": ["STC"], "reason": "x"}"#))
        #expect(try key(#"{"kind": "extension", "request": "HN-1", "deadline": "2025-03-20", "agencies": ["A", "B"], "reason": "r"}"#)
            == key(#"{"kind": "extension", "request": "HN-1", "deadline": "2025-03-20", "agencies": ["B", "A"], "reason": "r"}"#))
    }
}

/// What a refused document still names, for the journal (contract §7).
@Suite("Named parties of refused documents")
struct NamedPartiesTests {
    @Test func aTruncatedUploadStillNamesItsConsultation() {
        let truncated = Array(#"{"kind": "reply", "request": "HN-1", "agency": "STC", "received": "2025-03-04T10:00:00+07:00", "position": "agree""#.utf8)
        #expect(NamedParties.salvage(truncated) == NamedParties(consultation: "HN-1", agency: "STC"))
        let request = Array(#"{"kind":"request","id":"HN-2","lead":"SXD","consulted":["STC"#.utf8)
        #expect(NamedParties.salvage(request) == NamedParties(consultation: "HN-2", lead: "SXD"))
    }

    @Test func onlyIdentifiersReachTheJournal() {
        let junk = Array(#"{"kind": "reply", "request": "HN 1\nFAKE=1", "agency": "\#(String(repeating: "A", count: 100))", "x": "#.utf8)
        #expect(NamedParties.salvage(junk) == NamedParties())
        // A key quoted inside a text is no member.
        let quoted = Array(#"{"text": "say \"agency\": \"STC\"", "request": "HN-3""#.utf8)
        #expect(NamedParties.salvage(quoted) == NamedParties(consultation: "HN-3"))
        #expect(NamedParties.salvage(Array("[1, 2]".utf8)) == NamedParties())
    }
}
