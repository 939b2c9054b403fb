@testable import ConsultCore
import Testing

/// The canonical content key is written straight into a buffer (``Document/canonicalBytes``);
/// keys stored since schema v8 were made from ``Document/canonicalValue`` through
/// ``JSONWriter``: the two must give the same bytes for every kind, field set or not, whatever
/// the text holds.
@Suite("Canonical bytes")
struct CanonicalBytesTests {
    static let texts = ["Đề án số 5", "", "quote \" back\\slash", "line\nfeed\ttab\r", "\u{1}\u{1F}\u{7F}", "sep\u{2028}para\u{2029}",
                        "\u{E2}\u{80}", "emoji 👩‍👩‍👧 e\u{301}", "x"]
    static let instant = Instant(seconds: 1_741_000_000)

    static var documents: [Document] {
        var documents: [Document] = []
        for (i, text) in texts.enumerated() {
            let other = texts[(i + 1) % texts.count]
            documents.append(.request(Request(id: "HN-\(i)", title: text, lead: "SXD", consulted: ["STC", "A.1", "SNNMT", "b-2"],
                                              sent: instant, urgency: .urgent, replyDays: i % 2 == 0 ? 10 : nil,
                                              deadline: i % 3 == 0 ? LocalDate(iso: "2025-03-20") : nil,
                                              reference: i % 2 == 1 ? other : nil)))
            documents.append(.request(Request(id: "HN-\(i)", title: text, lead: "L", consulted: [], sent: Instant(seconds: -5))))
            documents.append(.reply(Reply(request: "HN-\(i)", agency: "STC", received: instant, position: i % 2 == 0 ? .agreeWithComments : nil,
                                          comments: i % 3 == 0 ? [] : [text, other], text: i % 2 == 0 ? text : nil,
                                          referTo: i % 4 == 0 ? "SNNMT" : nil, reference: i % 3 == 1 ? other : nil)))
            documents.append(.extension(Extension(request: "HN-\(i)", deadline: LocalDate(iso: "2025-04-01")!,
                                                  agencies: i % 2 == 0 ? ["B", "A", "C"] : nil, reason: text)))
            documents.append(.withdrawal(Withdrawal(request: "HN-\(i)", agencies: i % 2 == 1 ? ["Z", "Y"] : nil, reason: text)))
            documents.append(.resolution(Resolution(request: "HN-\(i)", agency: "STC", outcome: text, received: instant)))
        }
        return documents
    }

    @Test func writtenAsTheValueIsSerialised() {
        for document in Self.documents {
            let reference = JSONWriter.bytes(document.canonicalValue, pretty: false)
            #expect(document.canonicalBytes == reference, "\(String(decoding: reference, as: UTF8.self))")
            #expect(document.canonicalKey == SHA256.hex(reference))
        }
    }

    @Test func setsAreSortedAndEachCodeOnce() {
        let a = Document.withdrawal(Withdrawal(request: "HN-1", agencies: ["B", "A", "B", "C", "A"], reason: "r"))
        #expect(a.canonicalBytes == JSONWriter.bytes(a.canonicalValue, pretty: false))
        #expect(String(decoding: a.canonicalBytes, as: UTF8.self)
            == #"{"kind":"withdrawal","request":"HN-1","agencies":["A","B","C"],"reason":"r"}"#)
    }
}
