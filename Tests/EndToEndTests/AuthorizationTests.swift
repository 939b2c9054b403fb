import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// Real accounts on this machine (created once, idempotently).
func ensureAccount(_ user: String, groups: [String] = []) throws -> (uid: uid_t, gid: gid_t) {
    for group in groups { try execute("/usr/sbin/groupadd", ["-f", group]) }
    if getpwnam(user) == nil {
        try execute("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
    }
    if !groups.isEmpty { try execute("/usr/sbin/usermod", ["-a", "-G", groups.joined(separator: ","), user]) }
    guard let pw = getpwnam(user) else { throw CocoaError(.fileNoSuchFile) }
    return (pw.pointee.pw_uid, pw.pointee.pw_gid)
}

@Suite("authorization = \"owner\" with real accounts", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct AuthorizationTests {
    @Test func everyKindSpeaksOnlyForItsAgency() throws {
        try #require(getuid() == 0, "creating accounts needs root")
        try #require(try ensureJournald())
        let lead = try ensureAccount("cdtest-sxd")
        let stc = try ensureAccount("cdtest-stc")
        let member = try ensureAccount("cdtest-stp-member", groups: ["cdtest-stp"])
        let other = try ensureAccount("cdtest-other")
        let site = try Site(submitters: ["SXD": ["user:cdtest-sxd"], "STC": ["user:cdtest-stc"], "STP": ["group:cdtest-stp"]])
        var config = try String(contentsOfFile: site.config, encoding: .utf8)
        config = config.replacingOccurrences(of: "authorization = \"off\"", with: "authorization = \"owner\"")
        try config.write(toFile: site.config, atomically: true, encoding: .utf8)
        let id = "AUTH-" + UUID().uuidString.prefix(8)

        func put(_ name: String, _ owner: (uid: uid_t, gid: gid_t), _ text: String) {
            site.put(name, text)
            _ = chown(site.root + "/spool/new/" + name, owner.uid, owner.gid)
        }
        let request = #"{"kind": "request", "id": "\#(id)", "title": "t", "lead": "SXD", "consulted": ["STC", "STP"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#
        func reply(_ agency: String, _ position: String) -> String {
            #"{"kind": "reply", "request": "\#(id)", "agency": "\#(agency)", "received": "2025-03-05T09:00:00+07:00", "position": "\#(position)", "comments": ["Điều 4: bỏ khoản 2 vì trùng Điều 9."]}"#
        }
        put("req-by-stc.json", stc, request.replacingOccurrences(of: id, with: id + "-X"))
        put("req.json", lead, request)
        put("stc-by-stc.json", stc, reply("STC", "agree"))
        put("stc-by-lead.json", lead, reply("STC", "agree"))
        put("stc-by-other.json", other, reply("STC", "agree"))
        put("stp-by-member.json", member, reply("STP", "disagree"))
        put("ext-by-stc.json", stc, #"{"kind": "extension", "request": "\#(id)", "deadline": "2025-03-20", "reason": "x"}"#)
        put("ext-by-lead.json", lead, #"{"kind": "extension", "request": "\#(id)", "deadline": "2025-03-20", "reason": "x"}"#)
        put("res-by-stc.json", stc, #"{"kind": "resolution", "request": "\#(id)", "agency": "STP", "outcome": "x", "received": "2025-03-06T09:00:00+07:00"}"#)
        put("wd-by-member.json", member, #"{"kind": "withdrawal", "request": "\#(id)", "agencies": ["STC"], "reason": "x"}"#)
        let r = try site.once("2025-03-05T10:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")

        let applied = Set(site.list("spool/done/2025-03-05"))
        #expect(applied == ["req.json", "stc-by-stc.json", "stp-by-member.json", "ext-by-lead.json"])
        for refused in ["req-by-stc.json", "stc-by-lead.json", "stc-by-other.json", "ext-by-stc.json", "res-by-stc.json", "wd-by-member.json"] {
            #expect(try site.json("spool/rejected/\(refused).error.json")["code"] == .string("unauthorized"), "\(refused)")
        }
        let alert = try journalEntries(["CONSULT_EVENT=unauthorized", "CONSULT_FILE=stc-by-other.json"], atLeast: 1).last
        #expect(alert?["PRIORITY"] == "1")
        #expect(alert?["CONSULT_ACCOUNT"] == "cdtest-other")
        #expect(alert?["MESSAGE"]?.contains("cdtest-other") == true)
        // An account that may speak for no agency has its file refused unread (contract §2): it
        // names the account, nothing the file says.
        #expect(alert?["CONSULT_ID"] == nil)
        // A document read and refused names what it says (contract §7): the README's recipe
        // finds the lead's clerk speaking for STC.
        let byLead = try journalEntries(["CONSULT_EVENT=unauthorized", "CONSULT_FILE=stc-by-lead.json", "CONSULT_ID=\(id)"], atLeast: 1).last
        #expect(byLead?["CONSULT_AGENCY"] == "STC")
        #expect(byLead?["CONSULT_LEAD"] == "SXD")
        #expect(byLead?["CONSULT_ACCOUNT"] == "cdtest-sxd")
        #expect(byLead?["MESSAGE"]?.contains(id) == true)
        let forSTC = try journalEntries(["CONSULT_AGENCY=STC", "-p", "warning", "CONSULT_ID=\(id)"], atLeast: 2)
            .filter { $0["CONSULT_EVENT"] == "unauthorized" }.compactMap { $0["CONSULT_FILE"] }
        // The withdrawal names STC, the one agency it withdraws.
        #expect(Set(forSTC) == ["stc-by-lead.json", "wd-by-member.json"])
        let ext = try journalEntries(["CONSULT_EVENT=unauthorized", "CONSULT_FILE=ext-by-stc.json", "CONSULT_ID=\(id)"], atLeast: 1).last
        #expect(ext?["CONSULT_LEAD"] == "SXD")
        #expect(ext?["CONSULT_ACCOUNT"] == "cdtest-stc")
        let accepted = try journalEntries(["CONSULT_EVENT=accepted", "CONSULT_FILE=stp-by-member.json", "CONSULT_ID=\(id)"], atLeast: 1).last
        #expect(accepted?["CONSULT_LEAD"] == "SXD")
        #expect(accepted?["CONSULT_AGENCY"] == "STP")
    }
}
