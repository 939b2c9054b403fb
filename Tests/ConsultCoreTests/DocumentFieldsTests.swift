import ConsultCore
import Testing

@Suite("Document schemas: every bad field")
struct EveryFieldTests {
    func reasons(_ s: String) -> [Refusal] {
        switch DocumentParser.check(Array(s.utf8)) {
        case .success: return []
        case let .failure(refusals): return refusals.all
        }
    }

    @Test func aRequestWithThreeBadFieldsGetsThreeReasons() {
        let found = reasons(#"""
            {"kind": "request", "id": "../x", "lead": "SXD", "consulted": ["STC"], "sent": "2025-01-20"}
            """#)
        #expect(found.map(\.code) == [.invalidField, .invalidField, .invalidField])
        #expect(found.count == 3)
        #expect(found.first?.reason.hasPrefix("field \"id\" is not a valid identifier") == true)
        #expect(found.dropFirst().first?.reason == "required field \"title\" is missing")
        #expect(found.last?.reason.hasPrefix("field \"sent\" must be an RFC 3339 instant") == true)
    }

    @Test func eachKindChecksEveryField() {
        #expect(reasons(#"{"kind":"reply","request":"R/1","agency":"S T C","received":"yesterday","position":"maybe","comments":[1]}"#).count == 5)
        #expect(reasons(#"{"kind":"extension","request":"R1","deadline":"2025-02-30","agencies":[],"reason":" "}"#).count == 3)
        #expect(reasons(#"{"kind":"withdrawal","agencies":"STC"}"#).count == 3)
        #expect(reasons(#"{"kind":"resolution","request":"R1"}"#).map(\.reason)
                == ["required field \"agency\" is missing", "required field \"outcome\" is missing", "required field \"received\" is missing"])
    }

    /// The lead among the consulted is a problem of its own, found beside the others.
    @Test func leadAmongConsultedBesideOtherProblems() {
        let found = reasons(#"{"kind":"request","id":"A","title":"t","lead":"SXD","consulted":["SXD"],"sent":"2025-01-20T09:15:00+07:00","reply_days":0}"#)
        #expect(found.map(\.reason) == ["field \"consulted\" must not include the lead agency SXD",
                                        "field \"reply_days\" must be between 1 and 366 working days"])
    }

    /// Past bad JSON or an unknown kind there are no fields to check: one reason.
    @Test func syntaxAndKindAreOneReasonEach() {
        #expect(reasons(#"{"kind":"request","id":"x""#).map(\.code) == [.malformedJSON])
        #expect(reasons(#"{"kind":"memo","id":"../x"}"#).map(\.code) == [.unknownKind])
        #expect(reasons(#"{"id":"../x"}"#).map(\.reason) == ["required field \"kind\" is missing"])
    }

    /// The daemon's refusal names every reason, with the first one's code.
    @Test func theDaemonsRefusalNamesEveryReason() {
        do {
            _ = try DocumentParser.parse(Array(#"{"kind":"withdrawal","request":"R 1","reason":""}"#.utf8))
            Issue.record("parsed")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.reason.hasPrefix("field \"request\" is not a valid identifier"))
            #expect(error.reason.hasSuffix("; field \"reason\" is empty"))
        }
    }

    @Test func aValidDocumentHasNoReasons() {
        #expect(reasons(#"{"kind":"withdrawal","request":"R1","reason":"x"}"#).isEmpty)
    }
}
