import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// Issue 13 with the real binaries and a real journald: `consultd --once --at` scenarios for
/// deemed agreement (§6), true lateness, backdated replies and canonical duplicates (§3), and
/// the fields of refusals and acceptances (§7).
@Suite("Ladder and journal semantics, consultd --once --at", .tags(.root), .serialized)
struct LadderSemanticsTests {
    func request(_ id: String, consulted: [String] = ["STC", "STP", "SYT"]) -> String {
        let list = consulted.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"kind": "request", "id": "\#(id)", "title": "Draft scheme for social housing", "lead": "SXD", "consulted": [\#(list)], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#
    }

    func reply(_ id: String, _ agency: String, _ position: String, received: String, comments: [String] = [], text: String? = nil) -> String {
        let list = comments.map { "\"\($0)\"" }.joined(separator: ", ")
        let body = text.map { #", "text": "\#($0)""# } ?? ""
        return #"{"kind": "reply", "request": "\#(id)", "agency": "\#(agency)", "received": "\#(received)", "position": "\#(position)", "comments": [\#(list)]\#(body)}"#
    }

    func newID(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(8) }

    /// Only an agency that sent no reply at all is deemed to agree; a clear reply after that is late.
    @Test func onlySilenceIsDeemedAndALaterClearReplyIsLate() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site(extra: "[policy]\nsilence = \"deemed_agree\"")
        let id = newID("DEEM")
        site.put("request.json", request(id))
        site.put("stc.json", reply(id, "STC", "agree", received: "2025-03-04T10:00:00+07:00", text: "We broadly support the draft in principle."))
        site.put("stp.json", reply(id, "STP", "disagree", received: "2025-03-04T10:00:00+07:00"))
        var r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Set(site.list("spool/outbox")) == ["\(id).STC.vague.json", "\(id).STP.vague.json"])

        r = try site.once("2025-03-11T08:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        let outbox = Set(site.list("spool/outbox"))
        #expect(outbox.contains("\(id).SYT.deemed-agreement.json"))
        #expect(outbox.contains("\(id).STC.overdue.json"))
        #expect(outbox.contains("\(id).STP.overdue.json"))
        #expect(!outbox.contains("\(id).STC.deemed-agreement.json"))
        #expect(!outbox.contains("\(id).STP.deemed-agreement.json"))

        // SYT answers clearly after it was deemed: recorded, late-reply, counted late.
        site.put("syt.json", reply(id, "SYT", "agree_with_comments", received: "2025-03-12T09:00:00+07:00",
                                   comments: ["Article 4.2: cap the fee at 2% of the contract value."]))
        r = try site.once("2025-03-12T09:05:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        let late = try site.json("spool/outbox/\(id).SYT.late-reply.json")
        #expect(late["days_late"] == .number("2"))
        let entry = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=late-reply"], atLeast: 1).last
        #expect(entry?["CONSULT_AGENCY"] == "SYT")
        #expect(entry?["CONSULT_DAYS_LATE"] == "2")
        #expect(entry?["MESSAGE"]?.contains(id) == true)

        let report = try execute(binary("consultctl"), ["--config", site.config, "report", "--from", "2025-03-10", "--to", "2025-03-10", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try JSONReader.parse(Array(report.stdout.utf8))
        guard case let .array(agencies)? = json["agencies"],
              let syt = agencies.first(where: { $0["agency"] == .string("SYT") }) else {
            Issue.record("no SYT line in \(report.stdout)")
            return
        }
        #expect(syt["late"] == .number("1"))
        #expect(syt["unanswered"] == .number("0"))
        #expect(syt["on_time"] == .number("0"))
    }

    /// A catch-up notice states the true lateness, in the outbox, the journal and the body.
    @Test func aCatchUpNoticeStatesTheTrueLateness() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site(locale: .vi)
        let id = newID("LATE")
        site.put("request.json", request(id, consulted: ["SYT"]))
        // Due Monday 10/3; escalation-2 (+5) is due on 17/3 and caught up on Tuesday 25/3: 11 working days late.
        let r = try site.once("2025-03-25T09:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(site.list("spool/outbox") == ["\(id).SYT.escalation-2.json"])
        let notice = try site.json("spool/outbox/\(id).SYT.escalation-2.json")
        #expect(notice["days_late"] == .number("11"))
        #expect(notice["late_detected"] == .bool(true))
        if case let .string(body) = notice["body"] {
            #expect(body.contains("đã quá 11 ngày làm việc"), "\(body)")
        } else {
            Issue.record("no body")
        }
        let entry = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=escalation-2"], atLeast: 1).last
        #expect(entry?["CONSULT_DAYS_LATE"] == "11")
    }

    /// A reply received before a ladder notice already sent is applied as stated and flagged.
    @Test func aBackdatedReplyIsAppliedAndFlagged() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site()
        let id = newID("BACK")
        site.put("request.json", request(id, consulted: ["STC"]))
        var r = try site.once("2025-03-11T08:00:00+07:00")
        #expect(site.list("spool/outbox") == ["\(id).STC.overdue.json"])
        site.put("stc.json", reply(id, "STC", "agree_with_comments", received: "2025-03-10T16:00:00+07:00",
                                   comments: ["Article 4.2: cap the fee at 2% of the contract value."]))
        r = try site.once("2025-03-11T10:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        let outbox = Set(site.list("spool/outbox"))
        #expect(outbox.contains("\(id).STC.backdated-reply.json"))
        #expect(!outbox.contains("\(id).STC.late-reply.json"), "received on the deadline: on time as stated")
        let flag = try site.json("spool/outbox/\(id).STC.backdated-reply.json")
        #expect(flag["priority"] == .string("warning"))
        #expect(flag["to"] == .strings(["office.sxd@example.vn"]))
        #expect(flag["cc"] == .strings(["leaders@example.vn"]))
        if case let .string(body) = flag["body"] {
            #expect(body.contains("2025-03-10T16:00:00+07:00"))
            #expect(body.contains("2025-03-11T08:00:00+07:00"))
            #expect(body.contains("\(id).STC.overdue"))
        }
        let entry = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=backdated-reply"], atLeast: 1).last
        #expect(entry?["MESSAGE_ID"] == "30f1e260673e4966aafa940498376f9e")
        #expect(entry?["PRIORITY"] == "4")
        #expect(entry?["CONSULT_AGENCY"] == "STC")
    }

    /// Identical content is canonical for every kind: a request re-sent with its consulted
    /// agencies in another order, a reply re-serialised, are no-ops (no refusal, no notice).
    @Test func reSerialisedDocumentsAreDuplicates() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site()
        let id = newID("CANON")
        site.put("request.json", request(id))
        site.put("stc.json", reply(id, "STC", "agree", received: "2025-03-04T10:00:00+07:00", text: "We broadly support the draft in principle."))
        var r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(site.list("spool/outbox") == ["\(id).STC.vague.json"])

        site.put("request-again.json", """
            {
              "deadline": "2025-03-10", "sent": "2025-03-03T02:00:00Z",
              "consulted": ["SYT", "STC", "STP"], "lead": "SXD",
              "title": "Draft scheme for social housing", "id": "\(id)", "kind": "request", "urgency": "normal"
            }
            """)
        site.put("stc-again.json", """
            {"text": "We broadly support the draft in principle.", "comments": [], "position": "agree",
             "received": "2025-03-04T10:00:00.000+07:00", "agency": "STC", "request": "\(id)", "kind": "reply"}
            """)
        r = try site.once("2025-03-04T12:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!site.list("spool/rejected").contains { $0.hasPrefix("request-again") || $0.hasPrefix("stc-again") })
        #expect(site.list("spool/outbox") == ["\(id).STC.vague.json"], "no vague-2")
        #expect(Set(site.list("spool/done/2025-03-04")).isSuperset(of: ["request-again.json", "stc-again.json"]))
        let duplicates = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=duplicate"], atLeast: 2)
        #expect(Set(duplicates.compactMap { $0["CONSULT_FILE"] }) == ["request-again.json", "stc-again.json"])

        // Other content under the same id is still a conflict.
        site.put("request-other.json", request(id, consulted: ["STC", "STP"]))
        r = try site.once("2025-03-04T13:00:00+07:00")
        #expect(try site.json("spool/rejected/request-other.json.error.json")["code"] == .string("duplicate_conflict"))
    }

    /// A notice's MESSAGE is one readable line whatever the title holds (journald keeps a value
    /// with a control character as a blob, which a plain journalctl does not show).
    @Test func aTitleWithControlsGivesAReadableMessage() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site()
        let id = newID("CTRL")
        site.put("request.json", #"{"kind": "request", "id": "\#(id)", "title": "Draft\nFAKE LINE\u202e\u0007 end", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        site.put("stc.json", reply(id, "STC", "agree", received: "2025-03-04T10:00:00+07:00", text: "We broadly support the draft in principle."))
        let r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        let vague = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=vague"], atLeast: 1).last
        let message = try #require(vague?["MESSAGE"], "MESSAGE is a blob, not text")
        #expect(message.contains("Draft?FAKE LINE?? end"))
        #expect(message.contains(id))
    }

    /// Refused documents carry the consultation and agencies they name (§7), as far as they
    /// could be read; accepted ones carry the lead and the agency; MESSAGE names the id.
    @Test func refusalsAndAcceptancesNameTheirConsultation() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try Site()
        let id = newID("FIELDS")
        site.put("request.json", request(id, consulted: ["STC", "STP"]))
        site.put("undeclared.json", reply(id, "XYZ", "agree", received: "2025-03-04T10:00:00+07:00"))
        site.put("bad-time.json", reply(id, "STP", "agree", received: "yesterday"))
        site.put("stc.json", reply(id, "STC", "agree_with_comments", received: "2025-03-04T10:00:00+07:00",
                                   comments: ["Article 4.2: cap the fee at 2% of the contract value."]))
        var r = try site.once("2025-03-04T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        // A truncated upload, refused later (the request known by then).
        site.put("truncated.json", #"{"kind": "reply", "request": "\#(id)", "agency": "STP", "received": "2025-03-04T10:00:00+07:00""#)
        r = try site.once("2025-03-04T12:00:00+07:00")
        let rejected = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=rejected"], atLeast: 3)
        let truncated = rejected.first { $0["CONSULT_FILE"] == "truncated.json" }
        #expect(truncated?["CONSULT_REASONS"] == "malformed_json")
        #expect(truncated?["CONSULT_AGENCY"] == "STP")
        #expect(truncated?["CONSULT_LEAD"] == "SXD")
        let undeclared = rejected.first { $0["CONSULT_FILE"] == "undeclared.json" }
        #expect(undeclared?["CONSULT_AGENCY"] == "XYZ")
        #expect(undeclared?["CONSULT_LEAD"] == "SXD")
        #expect(undeclared?["CONSULT_REASONS"] == "unknown_agency")
        #expect(undeclared?["MESSAGE"]?.contains(id) == true)
        let badTime = rejected.first { $0["CONSULT_FILE"] == "bad-time.json" }
        #expect(badTime?["CONSULT_AGENCY"] == "STP")
        #expect(badTime?["CONSULT_REASONS"] == "invalid_field")
        // Refused before it reached the store, it still gets its consultation's lead from it.
        #expect(badTime?["CONSULT_LEAD"] == "SXD")
        let forSTP = try journalEntries(["CONSULT_AGENCY=STP", "-p", "warning", "CONSULT_ID=\(id)"], atLeast: 1)
        #expect(forSTP.contains { $0["CONSULT_FILE"] == "bad-time.json" })

        let accepted = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=accepted"], atLeast: 2)
        let request = accepted.first { $0["CONSULT_FILE"] == "request.json" }
        #expect(request?["CONSULT_LEAD"] == "SXD")
        #expect(request?["CONSULT_AGENCY"] == nil)
        let stc = accepted.first { $0["CONSULT_FILE"] == "stc.json" }
        #expect(stc?["CONSULT_LEAD"] == "SXD")
        #expect(stc?["CONSULT_AGENCY"] == "STC")
        #expect(accepted.allSatisfy { $0["MESSAGE"]?.contains(id) == true })
    }
}
